package org.ldapmailcow.openldaptest;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Marks a test that needs the 389 DS test instance ({@code .ci/ds389}); it gets an {@link OpenLdapServer}
 * parameter holding that instance's connection data. Without it such tests are skipped with the reason; under
 * {@code CI=true} they fail, because {@code .ci/run} starts it.
 */
@Target({ElementType.TYPE, ElementType.METHOD})
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Tag("ds389")
@ExtendWith(Ds389Extension.class)
public @interface Ds389Test {
}
