package org.ldapmailcow.openldaptest;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Marks a test that needs the OpenLDAP test server ({@code .ci/openldap}); it gets an {@link OpenLdapServer}
 * parameter. Without a server such tests are skipped with the reason; under {@code CI=true} they fail, because
 * {@code .ci/run} starts it.
 */
@Target({ElementType.TYPE, ElementType.METHOD})
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Tag("openldap")
@ExtendWith(OpenLdapExtension.class)
public @interface OpenLdapTest {
}
