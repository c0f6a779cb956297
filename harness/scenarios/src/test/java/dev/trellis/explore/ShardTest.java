package dev.trellis.explore;

import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ShardTest {
    @Test
    void theSlicesOfAnyShardingCoverEverySeedOnceInOrder() {
        for (int n = 1; n <= 7; n++) {
            for (long seeds : new long[] {1, 5, 7, 100, 1001}) {
                long next = 40;
                for (int k = 1; k <= n; k++) {
                    Shard s = new Shard(k, n);
                    assertThat(s.first(40, seeds)).as("shard %s of %d seeds", s, seeds).isEqualTo(next);
                    next += s.seeds(seeds);
                }
                assertThat(next).isEqualTo(40 + seeds);
            }
        }
    }

    @Test
    void autoReadsTheIndexAKubernetesIndexedJobGivesEachPod() {
        assertThat(Shard.parse("auto/4", Map.of(Shard.K8S_INDEX, "0")::get)).isEqualTo(new Shard(1, 4));
        assertThat(Shard.parse("auto/4", Map.of(Shard.K8S_INDEX, "3")::get)).isEqualTo(new Shard(4, 4));
        assertThatThrownBy(() -> Shard.parse("auto/4", Map.<String, String>of()::get))
                .hasMessageContaining("JOB_COMPLETION_INDEX").hasMessageContaining("not set");
        assertThatThrownBy(() -> Shard.parse("auto/4", Map.of(Shard.K8S_INDEX, "4")::get))
                .hasMessageContaining("JOB_COMPLETION_INDEX is 4, but --shard auto/4 takes 0 to 3");
    }

    @Test
    void aBadShardSaysWhatIsAccepted() {
        for (String bad : new String[] {"0/3", "4/3", "3", "a/b", "/3", "1/0"}) {
            assertThatThrownBy(() -> Shard.parse(bad, k -> null)).as(bad).hasMessageContaining("k/N");
        }
    }
}
