package dev.trellis.junit;

import org.junit.jupiter.api.TestTemplate;
import org.junit.jupiter.api.extension.ExtendWith;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Runs the test method once on the real runtime (virtual threads on one carrier, real TCP, the
 * system clock), as the root task: with {@link SimulationTest} on the same method, one test checks
 * the code on both engines. The method may take a {@link dev.trellis.runtime.Network} (real TCP here).
 */
@Target(ElementType.METHOD)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@TestTemplate
@ExtendWith(RealRuntimeTestExtension.class)
public @interface RealRuntimeTest {
}
