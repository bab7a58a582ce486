/**
 * What worker code is written against: {@link dev.uhttp.workers.api.Worker} and its {@link dev.uhttp.workers.api.Api @Api}
 * routes, {@link dev.uhttp.workers.api.ApiHandler} groups, {@link dev.uhttp.workers.api.Request}, {@link dev.uhttp.workers.api.Response},
 * {@link dev.uhttp.workers.api.Headers}, {@link dev.uhttp.workers.api.Cookie} and the {@link dev.uhttp.workers.api.Logger}.
 */
package dev.uhttp.workers.api;
