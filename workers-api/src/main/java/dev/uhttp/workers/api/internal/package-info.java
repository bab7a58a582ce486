/**
 * Plumbing shared by the runtime modules (route tables, path patterns, the worker context, logger
 * creation); exported only to {@code uhttp.workers.worker} and {@code uhttp.workers.dispatcher}, not an API.
 */
package dev.uhttp.workers.api.internal;
