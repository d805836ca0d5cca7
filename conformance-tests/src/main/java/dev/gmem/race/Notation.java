package dev.gmem.race;

import dev.gmem.api.Bytes;
import dev.gmem.api.Observation;
import dev.gmem.api.Operation;

import static dev.gmem.api.GuestLayout.PAGE_SIZE;

/** Short text for operations and observations, narrow enough for a column of a history picture. */
public final class Notation {
    private Notation() {
    }

    public static String of(Operation op) {
        if (op instanceof Operation.Convert c) {
            return "convert g" + c.gmem() + range(c.offset(), c.size()) + " " + c.target().name().toLowerCase()
                    + (c.raw().isNone() ? "" : " raw");
        }
        if (op instanceof Operation.HostRead r) return "read g" + r.gmem() + range(r.offset(), r.length()) + view(r.view());
        if (op instanceof Operation.HostWrite w) {
            return "write g" + w.gmem() + range(w.offset(), w.length()) + "=" + hex(w.fill() & 0xff) + view(w.view());
        }
        if (op instanceof Operation.Pin p) return "pin g" + p.gmem() + range(p.offset(), p.length());
        if (op instanceof Operation.Unpin u) return "unpin " + (u.pin() == Step.NO_PIN ? "none" : "#" + u.pin());
        if (op instanceof Operation.PunchHole p) return "punch g" + p.gmem() + range(p.offset(), p.length());
        if (op instanceof Operation.Allocate a) return "allocate g" + a.gmem() + range(a.offset(), a.length());
        if (op instanceof Operation.Mmap m) return "mmap g" + m.gmem() + " " + m.mapKind().name().toLowerCase();
        if (op instanceof Operation.GuestRead r) return "guest read " + hex(r.gpa());
        if (op instanceof Operation.GuestWrite w) return "guest write " + hex(w.gpa()) + "=" + hex(w.value());
        if (op instanceof Operation.GuestRequestConversion g) {
            return "hypercall " + hex(g.gpa()) + "+" + pages(g.size()) + " " + g.target().name().toLowerCase();
        }
        if (op instanceof Operation.Create c) return "create " + pages(c.size()) + " flags " + hex(c.flags());
        if (op instanceof Operation.Bind b) return "bind slot " + b.slot() + " g" + b.gmem() + range(b.offset(), b.size()) + " at " + hex(b.gpa());
        return op.toString();
    }

    public static String of(Observation o) {
        if (o instanceof Observation.Ok) return "ok";
        if (o instanceof Observation.Refused r) return r.errno() + " at " + hex(r.errorOffset());
        if (o instanceof Observation.Failed f) return f.errno().name();
        if (o instanceof Observation.HostFault h) return "fault at " + hex(h.offset());
        if (o instanceof Observation.Pinned p) return "pin #" + p.pin();
        if (o instanceof Observation.Created c) return "g" + c.gmem();
        if (o instanceof Observation.Read r) return bytes(r.bytes());
        if (o instanceof Observation.GuestValue v) return hex(v.value());
        if (o instanceof Observation.HypercallExit h) return "hypercall exit, host " + h.hostResult();
        if (o instanceof Observation.MemoryFaultExit m) return "memory fault " + hex(m.gpa()) + (m.privateAccess() ? " private" : " shared");
        return o.toString();
    }

    private static String bytes(Bytes b) {
        StringBuilder s = new StringBuilder();
        for (Bytes.Run r : b.runs()) {
            if (s.length() > 0) s.append(',');
            s.append(pages(r.length())).append(':').append(hex(r.value() & 0xff));
        }
        return s.length() == 0 ? "nothing" : s.toString();
    }

    private static String range(long offset, long size) {
        return "[" + (offset % PAGE_SIZE == 0 ? "p" + offset / PAGE_SIZE : hex(offset)) + "+" + pages(size) + "]";
    }

    private static String pages(long size) {
        return size % PAGE_SIZE == 0 ? size / PAGE_SIZE + "p" : size + "b";
    }

    private static String view(int view) {
        return view == 0 ? "" : " view " + view;
    }

    private static String hex(long v) {
        return "0x" + Long.toHexString(v);
    }
}
