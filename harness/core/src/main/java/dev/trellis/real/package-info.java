/** The real runtime: every task on one carrier thread, the system clock, real TCP. */
package dev.trellis.real;
