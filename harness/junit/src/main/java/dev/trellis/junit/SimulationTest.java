package dev.trellis.junit;

import org.junit.jupiter.api.TestTemplate;
import org.junit.jupiter.api.extension.ExtendWith;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Runs the test method as the root task under the simulator, once per seed: {@link #seeds()}
 * executions from {@link #firstSeed()}, each scheduled by {@link #strategy()}, in virtual time. A
 * failure (the method's own exception, a deadlock, a broken structural invariant) fails the test
 * with the simulator's report, the report folder written for it, and the command that replays
 * that one execution ({@code -Dtrellis.seed=N}, or {@code -Dtrellis.schedule='...'}).
 *
 * {@snippet :
 * @SimulationTest(seeds = 500)
 * void echoesEveryByte(SimNetwork net) throws Exception {
 *     Nursery.open(n -> {
 *         Address at = n.startAndWait("server", status -> {
 *             try (Listener l = net.listen(Address.of("127.0.0.1", 0))) {
 *                 status.started(l.address());
 *                 net.serve(l, new MyHandler());
 *             }
 *         });
 *         try (ByteStream s = net.connect(at)) { ... assertions ... }
 *         n.cancelScope().cancel();
 *     });
 * }
 * }
 *
 * <p>The method may take a {@link dev.trellis.sim.SimNetwork} (or a
 * {@link dev.trellis.runtime.Network}), the execution's network, and a {@code long} annotated
 * {@link Seed}. It runs once per seed on one test instance: keep per-execution state in the
 * method, not in fields. Mixes with plain {@code @Test}s: it is a JUnit 5 test template, not an
 * engine. Needs {@code --add-opens java.base/java.lang=ALL-UNNAMED} in Surefire's {@code argLine}.
 */
@Target(ElementType.METHOD)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@TestTemplate
@ExtendWith(SimulationTestExtension.class)
public @interface SimulationTest {
    /** Executions to run, one a seed. */
    long seeds() default 100;

    /** The first seed. */
    long firstSeed() default 0;

    /** The scheduling strategy: {@code random}, {@code pos}, {@code pct:D:K}, ... (see {@code Strategies}). */
    String strategy() default "random";

    /** Scheduling steps one execution may take. */
    long maxSteps() default 1_000_000;

    /** Virtual time one execution may take, as a scenario file writes it: {@code 10s}, {@code 1d}. */
    String maxTime() default "1d";

    /** How the simulated network's streams behave: {@code adversarial}, {@code plain} or {@code lockstep}. */
    String streams() default "adversarial";

    /** One JUnit invocation a seed (each shown and reported on its own) instead of one for all. */
    boolean invocationPerSeed() default false;
}
