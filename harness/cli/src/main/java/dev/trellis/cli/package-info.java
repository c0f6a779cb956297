/** The {@code trellis} command: demo, serve, bench. */
package dev.trellis.cli;
