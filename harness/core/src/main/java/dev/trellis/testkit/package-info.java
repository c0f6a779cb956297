/**
 * Test kits that ship with Trellis: the conformance suite every ByteStream must pass, and
 * {@link dev.trellis.testkit.ChatWorkload}, scripted users against any chat server.
 */
package dev.trellis.testkit;
