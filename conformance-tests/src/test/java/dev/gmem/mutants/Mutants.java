package dev.gmem.mutants;

import dev.gmem.api.Bytes;
import dev.gmem.api.Edition;
import dev.gmem.api.Errno;
import dev.gmem.api.GuestLayout;
import dev.gmem.api.Observation;
import dev.gmem.api.Operation;
import dev.gmem.api.PageState;
import dev.gmem.api.Session;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static dev.gmem.api.GuestLayout.PAGE_SIZE;

/** The broken variants, each breaking one clause the way a real patch could. */
final class Mutants {
    private Mutants() {
    }

    static List<Mutant> all() {
        return List.of(
                new Mutant("wrong-error-offset", "EAGAIN reports the request's offset instead of the first pinned page",
                        Edition.INPLACE_V8, "REF-1", s -> new Rewriting(s) {
                            @Override
                            public Observation apply(Operation op) {
                                Observation o = inner.apply(op);
                                if (op instanceof Operation.Convert c && o instanceof Observation.Refused r) {
                                    return new Observation.Refused(r.errno(), c.offset());
                                }
                                return o;
                            }
                        }),
                new Mutant("neighbour-converted", "a conversion also converts the page after the range",
                        Edition.RFC_V2_CONVERT, "CONV-1", s -> new Rewriting(s) {
                            @Override
                            public Observation apply(Operation op) {
                                if (op instanceof Operation.Convert c && c.size() > 0 && c.raw().isNone()) {
                                    Observation wider = inner.apply(new Operation.Convert(c.gmem(), c.offset(),
                                            c.size() + PAGE_SIZE, c.target(), c.raw()));
                                    if (!(wider instanceof Observation.Failed)) return wider;
                                }
                                return inner.apply(op);
                            }
                        }),
                new Mutant("eagain-changes-state", "a refused conversion still converts the pages before the error offset",
                        Edition.INPLACE_V8, "REF-1", s -> new Rewriting(s) {
                            @Override
                            public Observation apply(Operation op) {
                                Observation o = inner.apply(op);
                                if (op instanceof Operation.Convert c && o instanceof Observation.Refused r
                                        && r.errorOffset() > c.offset()) {
                                    inner.apply(Operation.Convert.of(c.gmem(), c.offset(), r.errorOffset() - c.offset(), c.target()));
                                }
                                return o;
                            }
                        }),
                new Mutant("punch-flips-state", "punching a hole makes the punched pages shared",
                        Edition.RFC_V2_CONVERT, "PUNCH-1", s -> new Rewriting(s) {
                            @Override
                            public Observation apply(Operation op) {
                                Observation o = inner.apply(op);
                                if (op instanceof Operation.PunchHole p && o instanceof Observation.Ok) {
                                    inner.apply(Operation.Convert.of(p.gmem(), p.offset(), p.length(), PageState.SHARED));
                                }
                                return o;
                            }
                        }),
                new Mutant("stale-host-mapping", "conversion to private leaves the second host mapping readable",
                        Edition.INPLACE_V8, "CONV-7", StaleMapping::new),
                new Mutant("wrong-fault-gpa", "the memory-fault exit reports the accessed address, not the page's GPA",
                        Edition.VM_ATTRIBUTES, "GUEST-3", s -> new Rewriting(s) {
                            @Override
                            public Observation apply(Operation op) {
                                Observation o = inner.apply(op);
                                long gpa = op instanceof Operation.GuestRead r ? r.gpa()
                                        : op instanceof Operation.GuestWrite w ? w.gpa() : -1;
                                if (o instanceof Observation.MemoryFaultExit m && gpa >= 0) {
                                    return new Observation.MemoryFaultExit(gpa, m.size(), m.privateAccess());
                                }
                                return o;
                            }
                        }),
                new Mutant("wrong-fault-size", "the memory-fault exit reports the access size (8) instead of the page size",
                        Edition.PENDING, "GUEST-3", s -> new Rewriting(s) {
                            @Override
                            public Observation apply(Operation op) {
                                Observation o = inner.apply(op);
                                if (o instanceof Observation.MemoryFaultExit m) {
                                    return new Observation.MemoryFaultExit(m.gpa(), Long.BYTES, m.privateAccess());
                                }
                                return o;
                            }
                        }),
                new Mutant("size-zero-other-rule", "size 0 is a successful no-op (the RFC's rule) under inplace-v8",
                        Edition.INPLACE_V8, "CONV-8", s -> new Rewriting(s) {
                            @Override
                            public Observation apply(Operation op) {
                                if (op instanceof Operation.Convert c && c.size() == 0 && c.raw().isNone()) {
                                    return Observation.Ok.INSTANCE;
                                }
                                return inner.apply(op);
                            }
                        }),
                new Mutant("misaligned-accepted", "a misaligned conversion is aligned down and succeeds",
                        Edition.RFC_V2_CONVERT, "CONV-3", s -> new Rewriting(s) {
                            @Override
                            public Observation apply(Operation op) {
                                if (op instanceof Operation.Convert c && c.size() > 0
                                        && (c.offset() % PAGE_SIZE != 0 || c.size() % PAGE_SIZE != 0)) {
                                    long off = c.offset() & -PAGE_SIZE;
                                    long size = Math.max(PAGE_SIZE, c.size() & -PAGE_SIZE);
                                    Observation o = inner.apply(new Operation.Convert(c.gmem(), off, size, c.target(), c.raw()));
                                    return o instanceof Observation.Failed ? o : Observation.Ok.INSTANCE;
                                }
                                return inner.apply(op);
                            }
                        }),
                new Mutant("to-shared-refused-for-pin", "converting a pinned page to shared is refused with EAGAIN",
                        Edition.INPLACE_V8, "REF-3", PinCheckingToShared::new),
                new Mutant("punch-does-not-zero", "a punch answers ok but leaves the old content",
                        Edition.RFC_V2_CONVERT, "PUNCH-2", s -> new Rewriting(s) {
                            @Override
                            public Observation apply(Operation op) {
                                if (op instanceof Operation.PunchHole p && p.length() > 0 && p.offset() % PAGE_SIZE == 0
                                        && p.length() % PAGE_SIZE == 0) {
                                    // validate as the kernel would, then do nothing
                                    Observation o = inner.apply(new Operation.Stat(p.gmem()));
                                    return o instanceof Observation.FileSize ? Observation.Ok.INSTANCE : inner.apply(op);
                                }
                                return inner.apply(op);
                            }
                        }),
                new Mutant("init-shared-ignored", "INIT_SHARED is accepted but the pages start private",
                        Edition.INPLACE_V8, "HOST-1", s -> new Rewriting(s) {
                            @Override
                            public Observation apply(Operation op) {
                                if (op instanceof Operation.Create c && (c.flags() & Edition.FLAG_INIT_SHARED) != 0
                                        && (c.flags() & Edition.FLAG_MMAP) != 0) {
                                    return inner.apply(new Operation.Create(c.vm(), c.size(), c.flags() & ~Edition.FLAG_INIT_SHARED));
                                }
                                return inner.apply(op);
                            }
                        }),
                new Mutant("hypercall-wrong-pages", "the hypercall exit carries the size in bytes instead of the page count",
                        Edition.RFC_V2_CONVERT, "HCALL-1", s -> new Rewriting(s) {
                            @Override
                            public Observation apply(Operation op) {
                                Observation o = inner.apply(op);
                                if (o instanceof Observation.HypercallExit h) {
                                    return new Observation.HypercallExit(h.gpa(), h.pages() * PAGE_SIZE, h.attributes(), h.hostResult());
                                }
                                return o;
                            }
                        }),
                new Mutant("unpin-leaks-pin", "unpin answers ok but keeps the page reference",
                        Edition.INPLACE_V8, "LIFE-2", LeakingUnpin::new),
                new Mutant("attrs-overflow-accepted", "KVM_SET_MEMORY_ATTRIBUTES misses the overflow check: a range past 2^64 is ok",
                        Edition.VM_ATTRIBUTES, "CONV-3", s -> new Rewriting(s) {
                            @Override
                            public Observation apply(Operation op) {
                                if (op instanceof Operation.Convert c) {
                                    long start = GuestLayout.gpa(c.gmem(), c.offset());
                                    if (Long.compareUnsigned(start + c.size(), start) < 0) return Observation.Ok.INSTANCE;
                                }
                                return inner.apply(op);
                            }
                        }),
                new Mutant("flags-word-ignored", "KVM_SET_MEMORY_ATTRIBUTES2 ignores a nonzero flags word",
                        Edition.INPLACE_V8, "CONV-3", s -> rawCleared(s, r -> new Operation.Convert.Raw(r.inputErrorOffset(), 0,
                                r.extraAttributes(), r.reserved()))),
                new Mutant("reserved-word-ignored", "KVM_SET_MEMORY_ATTRIBUTES2 ignores a nonzero reserved word",
                        Edition.PENDING, "CONV-3", s -> rawCleared(s, r -> new Operation.Convert.Raw(r.inputErrorOffset(),
                                r.flags(), r.extraAttributes(), 0))),
                new Mutant("unknown-attribute-ignored", "KVM_SET_MEMORY_ATTRIBUTES accepts attribute bits it does not know",
                        Edition.VM_ATTRIBUTES, "CONV-3", s -> rawCleared(s, r -> new Operation.Convert.Raw(r.inputErrorOffset(),
                                r.flags(), 0, r.reserved()))),
                new Mutant("fourth-conversion-lost", "from a file's fourth conversion on, a conversion answers ok and does nothing",
                        Edition.RFC_V2_CONVERT, "CONV-2", s -> new Rewriting(s) {
                            private final Map<Integer, Integer> conversions = new HashMap<>();

                            @Override
                            public Observation apply(Operation op) {
                                if (op instanceof Operation.Convert c && c.size() > 0 && conversions.getOrDefault(c.gmem(), 0) >= 3) {
                                    return inner.apply(new Operation.Stat(c.gmem())) instanceof Observation.FileSize
                                            && c.raw().isNone() && (c.offset() | c.size()) % PAGE_SIZE == 0 ? Observation.Ok.INSTANCE
                                            : inner.apply(op);
                                }
                                Observation o = inner.apply(op);
                                if (op instanceof Operation.Convert c && o instanceof Observation.Ok) conversions.merge(c.gmem(), 1, Integer::sum);
                                return o;
                            }
                        }),
                new Mutant("punch-keeps-pin", "the reference check counts a pin on a page punched since: to private stays EAGAIN",
                        Edition.INPLACE_V8, "REF-1", PinOutlivesPunch::new),
                new Mutant("pending-to-shared-faults", "a PENDING_PRIVATE page converted to shared keeps faulting on the host",
                        Edition.PENDING, "REF-4", PendingStaysFaulting::new),
                new Mutant("gpa-overlap-accepted", "a memslot overlapping another one in GPA is accepted (and not made)",
                        Edition.GMEM_MMAP, "BIND-1", s -> new Rewriting(s) {
                            private final Map<Integer, long[]> slots = new HashMap<>();

                            @Override
                            public Observation apply(Operation op) {
                                if (op instanceof Operation.Bind b && b.size() > 0 && !slots.containsKey(b.slot())
                                        && slots.values().stream().anyMatch(x -> Long.compareUnsigned(b.gpa(), x[0] + x[1]) < 0
                                        && Long.compareUnsigned(x[0], b.gpa() + b.size()) < 0)) {
                                    return Observation.Ok.INSTANCE;
                                }
                                Observation o = inner.apply(op);
                                if (op instanceof Operation.Bind b && o instanceof Observation.Ok) slots.put(b.slot(), new long[] {b.gpa(), b.size()});
                                if (op instanceof Operation.Unbind u && o instanceof Observation.Ok) slots.remove(u.slot());
                                return o;
                            }
                        }),
                new Mutant("close-keeps-serving", "closing a bound guest_memfd leaves its memslot serving the pages",
                        Edition.VM_ATTRIBUTES, "GUEST-3", s -> new Rewriting(s) {
                            @Override
                            public Observation apply(Operation op) {
                                if (op instanceof Operation.Close c && inner.apply(new Operation.Stat(c.gmem())) instanceof Observation.FileSize) {
                                    return Observation.Ok.INSTANCE;
                                }
                                return inner.apply(op);
                            }
                        }),
                new Mutant("hcall-clamped-to-slot", "a guest request crossing the memslot end converts the part inside and returns 0",
                        Edition.RFC_V2_CONVERT, "HCALL-1", ClampedGuestRequest::new),
                new Mutant("punch-past-end-einval", "a punch past the end of the file fails with EINVAL",
                        Edition.GMEM_MMAP, "PUNCH-4", s -> new Rewriting(s) {
                            @Override
                            public Observation apply(Operation op) {
                                if (op instanceof Operation.PunchHole p && p.offset() % PAGE_SIZE == 0 && p.length() % PAGE_SIZE == 0
                                        && inner.apply(new Operation.Stat(p.gmem())) instanceof Observation.FileSize f
                                        && Long.compareUnsigned(p.offset() + p.length(), f.size()) > 0) {
                                    return new Observation.Failed(Errno.EINVAL);
                                }
                                return inner.apply(op);
                            }
                        }),
                new Mutant("eagain-forever", "a conversion to private is always refused EAGAIN, as if a vCPU fault never ended",
                        Edition.INPLACE, "CONV-1", s -> new Rewriting(s) {
                            @Override
                            public Observation apply(Operation op) {
                                if (op instanceof Operation.Convert c && c.target() == PageState.PRIVATE && c.raw().isNone()
                                        && c.size() > 0 && (c.offset() | c.size()) % PAGE_SIZE == 0) {
                                    return new Observation.Refused(Errno.EAGAIN, c.offset());
                                }
                                return inner.apply(op);
                            }
                        }));
    }

    /** Keeps a snapshot of what the second mapping showed before a conversion to private, and serves it. */
    static final class StaleMapping extends Rewriting {
        private final Map<Integer, List<long[]>> staleRanges = new HashMap<>();
        private final Map<Integer, Bytes> snapshots = new HashMap<>();

        StaleMapping(Session inner) {
            super(inner);
        }

        @Override
        public Observation apply(Operation op) {
            if (op instanceof Operation.Convert c && c.target() == PageState.PRIVATE) {
                Observation before = inner.apply(new Operation.Stat(c.gmem()));
                Observation all = before instanceof Observation.FileSize f
                        ? inner.apply(new Operation.HostRead(c.gmem(), 0, f.size(), 1)) : null;
                Observation o = inner.apply(op);
                if (o instanceof Observation.Ok && all instanceof Observation.Read r) {
                    snapshots.put(c.gmem(), r.bytes());
                    staleRanges.computeIfAbsent(c.gmem(), k -> new ArrayList<>()).add(new long[] {c.offset(), c.offset() + c.size()});
                }
                return o;
            }
            if (op instanceof Operation.Convert c && c.target() == PageState.SHARED) {
                staleRanges.remove(c.gmem());
            }
            if (op instanceof Operation.HostRead r && r.view() == 1 && staleRanges.containsKey(r.gmem())) {
                for (long[] range : staleRanges.get(r.gmem())) {
                    if (r.offset() >= range[0] && r.offset() + r.length() <= range[1]) {
                        return new Observation.Read(snapshots.get(r.gmem()).slice(r.offset(), r.length()));
                    }
                }
            }
            return inner.apply(op);
        }
    }

    /** Rewrites the raw words of every conversion request with {@code clear} before the correct target sees it. */
    static Session rawCleared(Session s, java.util.function.UnaryOperator<Operation.Convert.Raw> clear) {
        return new Rewriting(s) {
            @Override
            public Observation apply(Operation op) {
                if (op instanceof Operation.Convert c) {
                    return inner.apply(new Operation.Convert(c.gmem(), c.offset(), c.size(), c.target(), clear.apply(c.raw())));
                }
                return inner.apply(op);
            }
        };
    }

    /** Remembers every pin's range and refuses a conversion to private over it with EAGAIN, punched or not. */
    static final class PinOutlivesPunch extends PinTracking {
        PinOutlivesPunch(Session inner) {
            super(inner);
        }

        @Override
        public Observation apply(Operation op) {
            Observation o = forward(op);
            if (op instanceof Operation.Convert c && c.target() == PageState.PRIVATE && o instanceof Observation.Ok) {
                List<long[]> pinned = pinnedIn(c.gmem(), c.offset(), c.size());
                if (!pinned.isEmpty()) {
                    inner.apply(Operation.Convert.of(c.gmem(), c.offset(), c.size(), PageState.SHARED));
                    return new Observation.Refused(Errno.EAGAIN, pinned.stream().mapToLong(r -> r[0]).min().orElseThrow());
                }
            }
            return o;
        }
    }

    /** Pages pinned when converted to private (PENDING_PRIVATE) stay host-inaccessible after a conversion to shared, until unpinned. */
    static final class PendingStaysFaulting extends PinTracking {
        private final Map<Integer, List<long[]>> stuck = new HashMap<>();

        PendingStaysFaulting(Session inner) {
            super(inner);
        }

        @Override
        public Observation apply(Operation op) {
            if (op instanceof Operation.HostRead r && stuckAt(r.gmem(), r.offset(), r.length())) return new Observation.HostFault(r.offset());
            Observation o = forward(op);
            if (op instanceof Operation.Convert c && c.target() == PageState.SHARED && o instanceof Observation.Ok) {
                stuck.computeIfAbsent(c.gmem(), g -> new ArrayList<>()).addAll(pinnedIn(c.gmem(), c.offset(), c.size()));
            }
            if (op instanceof Operation.Unpin && o instanceof Observation.Ok) stuck.clear();
            return o;
        }

        private boolean stuckAt(int gmem, long offset, long length) {
            for (long[] r : stuck.getOrDefault(gmem, List.of())) if (offset < r[1] && r[0] < offset + length) return true;
            return false;
        }
    }

    /** A guest request that crosses the end of its memslot is converted up to the end, and the host returns 0. */
    static final class ClampedGuestRequest extends Rewriting {
        private final Map<Integer, Operation.Bind> slots = new HashMap<>();

        ClampedGuestRequest(Session inner) {
            super(inner);
        }

        @Override
        public Observation apply(Operation op) {
            if (op instanceof Operation.GuestRequestConversion r) {
                for (Operation.Bind b : slots.values()) {
                    long end = b.gpa() + b.size();
                    if (r.gpa() >= b.gpa() && r.gpa() < end && r.gpa() + r.size() > end && r.size() % PAGE_SIZE == 0) {
                        Observation o = inner.apply(new Operation.GuestRequestConversion(r.gpa(), end - r.gpa(), r.target()));
                        return o instanceof Observation.HypercallExit h
                                ? new Observation.HypercallExit(h.gpa(), r.size() / PAGE_SIZE, h.attributes(), 0) : o;
                    }
                }
            }
            Observation o = inner.apply(op);
            if (op instanceof Operation.Bind b && o instanceof Observation.Ok) slots.put(b.slot(), b);
            if (op instanceof Operation.Unbind u && o instanceof Observation.Ok) slots.remove(u.slot());
            return o;
        }
    }

    /** Answers an unpin of a live pin with ok and never drops the reference. */
    static final class LeakingUnpin extends Rewriting {
        private final java.util.Set<Integer> live = new java.util.HashSet<>();

        LeakingUnpin(Session inner) {
            super(inner);
        }

        @Override
        public Observation apply(Operation op) {
            if (op instanceof Operation.Unpin u && live.remove(u.pin())) return Observation.Ok.INSTANCE;
            Observation o = inner.apply(op);
            if (o instanceof Observation.Pinned p) live.add(p.pin());
            return o;
        }
    }

    /** Refuses to convert a range to shared while one of its pages is pinned. */
    static final class PinCheckingToShared extends PinTracking {
        PinCheckingToShared(Session inner) {
            super(inner);
        }

        @Override
        public Observation apply(Operation op) {
            if (op instanceof Operation.Convert c && c.target() == PageState.SHARED && c.size() > 0) {
                long first = pinnedIn(c.gmem(), c.offset(), c.size()).stream().mapToLong(r -> r[0]).min().orElse(-1);
                if (first >= 0) return new Observation.Refused(Errno.EAGAIN, first);
            }
            return forward(op);
        }
    }
}
