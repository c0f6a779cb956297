package dev.trellis.testkit;

import dev.trellis.real.RealRuntime;
import dev.trellis.runtime.Address;
import dev.trellis.runtime.Body;
import dev.trellis.runtime.ByteStream;
import dev.trellis.runtime.Listener;
import dev.trellis.runtime.Network;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.function.Executable;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.DynamicTest.dynamicTest;

/** The same conformance suite on real loopback TCP, under the real runtime. */
class TcpConformanceTest {
    /**
     * Per check. {@code @Timeout} on a {@code @TestFactory} times only the factory method, not the
     * dynamic tests it returns, so each check carries its own timeout: a TCP hang fails that check.
     */
    static final Duration TIMEOUT = Duration.ofSeconds(60);

    private static DynamicTest withTimeout(String name, Executable check) {
        return dynamicTest(name, () -> assertTimeoutPreemptively(TIMEOUT, check,
                () -> name + " did not finish within " + TIMEOUT + " on loopback TCP"));
    }

    static ByteStream[] loopbackPair() {
        Network net = Network.current();
        try (Listener l = net.listen(Address.of("127.0.0.1", 0))) {
            ByteStream client = net.connect(l.address());
            ByteStream server = l.accept();
            return new ByteStream[] {client, server};
        }
    }

    @TestFactory
    List<DynamicTest> everyCheckOnLoopbackTcp() {
        List<DynamicTest> tests = new ArrayList<>();
        for (Map.Entry<String, Body> check : StreamConformance.checks(TcpConformanceTest::loopbackPair, 4_000_000).entrySet()) {
            tests.add(withTimeout("tcp: " + check.getKey(), () -> RealRuntime.run(() -> {
                check.getValue().run();
                return null;
            })));
        }
        tests.add(withTimeout("tcp: backpressure (64 MiB with nobody reading does not complete)", () -> RealRuntime.run(() -> {
            StreamConformance.backpressureHolds(TcpConformanceTest::loopbackPair, 64 << 20, Duration.ofMillis(300));
            return null;
        })));
        return tests;
    }
}
