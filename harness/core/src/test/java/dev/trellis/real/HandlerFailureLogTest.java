package dev.trellis.real;

import dev.trellis.runtime.Address;
import dev.trellis.runtime.ByteStream;
import dev.trellis.runtime.CancelScope;
import dev.trellis.runtime.Listener;
import dev.trellis.runtime.Network;
import dev.trellis.runtime.Nursery;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

import static org.assertj.core.api.Assertions.assertThat;

/** A handler failure that closes only its connection is not lost on the real runtime, nor a flood of them a flood of log. */
class HandlerFailureLogTest {
    @Test
    void handlerFailuresAreLoggedOncePerIntervalWithACount() throws Exception {
        List<String> logged = Collections.synchronizedList(new ArrayList<>());
        Logger jul = Logger.getLogger("dev.trellis.real");
        Handler capture = new Handler() {
            @Override
            public void publish(LogRecord r) {
                logged.add(r.getMessage());
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
        jul.addHandler(capture);
        try {
            RealRuntime.run(() -> {
                Network net = Network.current();
                Nursery.open(n -> {
                    Address at = n.startAndWait("server", status -> {
                        try (Listener l = net.listen(Address.of("127.0.0.1", 0))) {
                            status.started(l.address());
                            net.serve(l, stream -> {
                                throw new IllegalStateException("bad request");
                            }, Network.OnHandlerFailure.CLOSE_CONNECTION);
                        }
                    });
                    for (int i = 0; i < 50; i++) {
                        try (ByteStream s = net.connect(at)) {
                            CancelScope.moveOnAfter(Duration.ofSeconds(5), () -> s.receiveSome(1));   // until it closes
                        }
                    }
                    n.cancelScope().cancel();
                });
                return null;
            });
        } finally {
            jul.removeHandler(capture);
        }
        assertThat(logged).as("50 failures in well under the interval").hasSize(1);
        assertThat(logged.getFirst()).contains("the handler of conn-1 of 127.0.0.1:")
                .contains("failed and its connection was closed: java.lang.IllegalStateException: bad request");
    }
}
