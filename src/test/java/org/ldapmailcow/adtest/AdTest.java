package org.ldapmailcow.adtest;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Marks a test class or method that needs the Samba AD test DC ({@code ../shared/ad-test-dc}). Such tests are
 * tagged {@code ad} and get the DC's connection data as an {@link AdDc} parameter (constructor, lifecycle or
 * test method). When the DC is not reachable they are skipped with the reason; when the environment variable
 * {@code CI=true} is set they fail instead, because {@code .ci/run} starts the DC.
 */
@Target({ElementType.TYPE, ElementType.METHOD})
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Tag("ad")
@ExtendWith(AdDcExtension.class)
public @interface AdTest {
}
