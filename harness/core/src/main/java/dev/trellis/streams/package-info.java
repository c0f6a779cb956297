/**
 * In-memory byte streams that behave like TCP at its worst (bounded buffers, random receive
 * sizes, latency, resets), usable on either engine, and the guard every stream implementation
 * shares to report concurrent use and use after close as trio does.
 */
package dev.trellis.streams;
