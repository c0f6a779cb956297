/** The programs of the tutorial Trellis grew from, written on the runtime API. */
package dev.trellis.apps;
