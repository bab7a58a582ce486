package dev.uhttp.workers.api;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Declares a route.
 *
 * <p>On a public method of a {@link Worker} or an {@link ApiHandler}, the method answers requests whose
 * path matches {@link #value()} and whose method is one of {@link #methods()} (all methods when empty).
 * The method takes a {@link Request} and returns the result (see {@link Response} for what a result may be):
 *
 * <pre>{@code
 * @Api(value = "/item/{id:int}", methods = "GET")
 * public Object getItem(Request request) {
 *     int id = request.intParam("id");
 *     ...
 * }
 * }</pre>
 *
 * <p>On an {@link ApiHandler} class, {@link #value()} is the prefix put in front of every route of that
 * handler (the reference's {@code PATTERN}).
 *
 * <p>Patterns: literal segments, {@code {name}} and {@code {name:str}} (any one segment),
 * {@code {name:int}} (an optionally signed integer, as {@link Integer}), {@code {name:float}} (a decimal
 * number, as {@link Double}). A segment that does not convert is "no match", never an error.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.METHOD, ElementType.TYPE})
public @interface Api {
    /** The path pattern (on a method) or the prefix (on a handler class). */
    String value() default "";

    /** HTTP methods answered, e.g. {@code {"GET", "HEAD"}}; empty means every method. */
    String[] methods() default {};
}
