package dev.gmem.model;

import dev.gmem.api.Edition;
import dev.gmem.api.Observation;
import dev.gmem.api.Operation;
import dev.gmem.api.OperationKind;
import dev.gmem.api.Session;
import dev.gmem.api.Target;
import dev.gmem.api.TargetException;
import dev.gmem.api.Targets;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ModelTargetTest {

    @Test
    @DisplayName("model with no argument -> one target per edition, in Edition.all() order, found through ServiceLoader")
    void allEditions() throws TargetException {
        List<Target> targets = Targets.resolve("model");
        assertThat(targets).extracting(Target::name).containsExactly(
                "model:gmem-mmap", "model:vm-attributes", "model:rfc-v2-convert", "model:inplace-v8", "model:inplace",
                "model:pending");
    }

    @Test
    @DisplayName("model:<edition> -> that edition, able to do everything")
    void oneEdition() throws TargetException {
        List<Target> targets = Targets.resolve("model:inplace-v8");
        assertThat(targets).hasSize(1);
        Target t = targets.get(0);
        assertThat(t.editions()).containsExactly(Edition.INPLACE_V8);
        for (OperationKind k : OperationKind.values()) assertThat(t.capabilities(Edition.INPLACE_V8).supports(k)).isTrue();
    }

    @Test
    @DisplayName("model:<unknown> -> one line naming the known editions")
    void unknownEdition() {
        assertThatThrownBy(() -> Targets.resolve("model:x"))
                .isInstanceOf(TargetException.class)
                .hasMessage("unknown edition 'x' for target model: known editions are gmem-mmap, vm-attributes, "
                        + "rfc-v2-convert, inplace-v8, inplace, pending");
    }

    @Test
    @DisplayName("a session answers the model's example and moves on")
    void sessionRuns() throws TargetException {
        Target t = Targets.resolve("model:rfc-v2-convert").get(0);
        try (Session s = t.open(Edition.RFC_V2_CONVERT)) {
            assertThat(s.apply(new Operation.Create(0, 4096, Edition.RFC_FLAG_SUPPORT_SHARED))).isEqualTo(new Observation.Created(0));
            assertThat(s.apply(new Operation.Create(0, 4096, 0))).isEqualTo(new Observation.Created(1));
            assertThat(s.apply(new Operation.HostWrite(0, 0, 4, (byte) 1, 0))).isEqualTo(Observation.Ok.INSTANCE);
            assertThat(s.apply(new Operation.HostRead(0, 0, 4, 0))).isEqualTo(Sim.read(4, 1));
            assertThat(s.apply(new Operation.HostRead(1, 0, 4, 0))).isEqualTo(Sim.failed(dev.gmem.api.Errno.ENODEV));
        }
    }
}
