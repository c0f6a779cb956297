/** Test kits that ship with Trellis: the conformance suite every ByteStream must pass. */
package dev.trellis.testkit;
