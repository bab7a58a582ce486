/**
 * Starting worker JVMs (not exported): their command line, their class data archives, and the
 * spawner a pool uses.
 */
package dev.uhttp.workers.dispatcher.launch;
