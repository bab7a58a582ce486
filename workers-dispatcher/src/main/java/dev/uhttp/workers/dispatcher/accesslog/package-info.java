/** The access log: lines formatted on the loop, written by a thread of their own (not exported). */
package dev.uhttp.workers.dispatcher.accesslog;
