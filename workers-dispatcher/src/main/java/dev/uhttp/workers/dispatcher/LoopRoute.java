package dev.uhttp.workers.dispatcher;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a public method of a {@link Dispatcher} subclass as a sync handler: it runs in the dispatcher's
 * event loop, with the same pattern syntax as worker routes, and answers through its {@link Exchange}:
 *
 * <pre>{@code
 * @LoopRoute("/health")
 * public void health(Exchange client) {
 *     client.respond(Map.of("status", "ok"));
 * }
 * }</pre>
 *
 * Sync handlers must be fast and must not block: a slow one stalls every connection.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.METHOD)
public @interface LoopRoute {
    /** The path pattern, e.g. {@code /health} or {@code /user/{id:int}}. */
    String value();

    /** HTTP methods answered; empty means every method. */
    String[] methods() default {};

    /** The named listeners it is served on (see {@code Dispatcher.listener}); empty means every one. Elsewhere: 404. */
    String[] listeners() default {};
}
