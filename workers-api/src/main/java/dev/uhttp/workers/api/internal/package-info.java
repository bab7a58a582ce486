/**
 * Plumbing shared by the runtime modules (route tables, path patterns, the worker context, logger
 * creation); exported only to
 * the runtime modules (worker, dispatcher, IPC SPI and Unix socket provider, Redis cluster bus), not an API.
 */
package dev.uhttp.workers.api.internal;
