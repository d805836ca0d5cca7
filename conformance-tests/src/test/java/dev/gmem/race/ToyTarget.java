package dev.gmem.race;

import dev.gmem.api.Capabilities;
import dev.gmem.api.Edition;
import dev.gmem.api.OperationKind;
import dev.gmem.api.Session;
import dev.gmem.api.Target;

import java.util.EnumSet;
import java.util.List;

/**
 * {@link ToyGmem} as a target of the inplace-v8 edition (or of gmem-mmap, whose host operations it
 * answers alike: its cases convert nothing), correct or with one racy flaw.
 */
final class ToyTarget implements Target {
    private static final EnumSet<OperationKind> SUPPORTED = EnumSet.of(OperationKind.CREATE, OperationKind.CONVERT,
            OperationKind.HOST_READ, OperationKind.HOST_WRITE, OperationKind.PIN, OperationKind.UNPIN,
            OperationKind.PUNCH_HOLE, OperationKind.STAT);

    private final ToyGmem.Flaw flaw;
    private final Edition edition;

    ToyTarget(ToyGmem.Flaw flaw) {
        this(flaw, Edition.INPLACE_V8);
    }

    ToyTarget(ToyGmem.Flaw flaw, Edition edition) {
        this.flaw = flaw;
        this.edition = edition;
    }

    @Override
    public String name() {
        return "toy:" + flaw.name().toLowerCase().replace('_', '-');
    }

    @Override
    public List<Edition> editions() {
        return List.of(edition);
    }

    @Override
    public Capabilities capabilities(Edition edition) {
        Capabilities c = Capabilities.all(List.of("toy guest_memfd in Java"));
        for (OperationKind k : OperationKind.values()) {
            if (!SUPPORTED.contains(k)) c = c.without(k, "the toy guest_memfd has host operations only");
        }
        return c;
    }

    @Override
    public Session open(Edition edition) {
        return new ToyGmem(flaw);
    }

    @Override
    public boolean threadSafeSessions() {
        return true;
    }
}
