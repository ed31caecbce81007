package io.sluice.testsupport.quarkus;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a test field that receives the running store of a test resource ({@code EmbeddedRedisStore},
 * {@code EmbeddedPostgresStore} or {@code SimProvider}), e.g. to stop Redis in the middle of a test.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.FIELD)
public @interface InjectStore {
}
