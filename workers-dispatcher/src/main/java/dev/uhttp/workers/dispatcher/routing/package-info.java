/**
 * Where a request goes (not exported): the {@link dev.uhttp.workers.dispatcher.routing.Router}'s
 * ordered stages, pool route matching and the calls to {@code @LoopRoute} methods.
 */
package dev.uhttp.workers.dispatcher.routing;
