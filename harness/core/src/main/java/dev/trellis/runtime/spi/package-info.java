/**
 * For engines, not for application code: the kernel both runtimes share (tasks on virtual
 * threads, kernel waits, cancel scopes, timers, trace hooks) and the one class that reaches into
 * the JDK for virtual threads scheduled by an executor of ours.
 */
package dev.trellis.runtime.spi;
