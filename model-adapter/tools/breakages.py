#!/usr/bin/env python3
"""Deliberate breakages of the model: applies each one, runs the model tests, names the tests
that caught it, restores the file. Usage (from anywhere): python3 model-adapter/tools/breakages.py [index...]"""
import subprocess, glob, re, os, sys
os.chdir(os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', '..'))
M='model-adapter/src/main/java/dev/gmem/model/'
T=M+'Transitions.java'
B=[
 ("EAGAIN error offset = start of the request instead of first referenced page", T,
  "new Observation.Refused(Errno.EAGAIN, page * PAGE)", "new Observation.Refused(Errno.EAGAIN, from * PAGE)"),
 ("size 0 no-op check turned into EINVAL", T,
  "if (size == 0) return new Outcome(OK, w, Events.of(CONVERT_NOOP));\n                    bad = false;", "bad = size == 0;"),
 ("input error_offset check dropped", T,
  "case INPUT_ERROR_OFFSET: bad = raw.inputErrorOffset() != 0; break;", "case INPUT_ERROR_OFFSET: bad = false; break;"),
 ("flags check dropped", T,
  "case FLAGS: bad = raw.flags() != 0; break;", "case FLAGS: bad = false; break;"),
 ("INSIDE_FILE off by one (offset > size instead of >=)", T,
  "Long.compareUnsigned(start, g.size()) >= 0", "Long.compareUnsigned(start, g.size()) > 0"),
 ("unpin does not resolve PENDING_PRIVATE", T,
  "if (without.referenceCount(g, page) == 0) resolved", "if (without.referenceCount(g, page) < 0) resolved"),
 ("guest access to a pending page served instead of faulting", T,
  "if (state == PENDING) {\n                return exact(new Observation.MemoryFaultExit", "if (state == -7) {\n                return exact(new Observation.MemoryFaultExit"),
 ("punch changes state to SHARED", T,
  "GmemFile after = g.withContentAndBirths(", "GmemFile after = g.withStates(g.states().set(offset >>> 12, hi >>> 12, SHARED)).withContentAndBirths("),
 ("punch does not zero content", T,
  "g.content().set(offset, hi, 0),", "g.content(),"),
 ("mmap ENODEV checked before PROT_EXEC", T,
  "if (m.mapKind() == MapKind.EXEC) return fail(w, Errno.EPERM, MMAP_REJECTED);\n        if (!g.mappable()) return fail(w, Errno.ENODEV, MMAP_REJECTED);",
  "if (!g.mappable()) return fail(w, Errno.ENODEV, MMAP_REJECTED);\n        if (m.mapKind() == MapKind.EXEC) return fail(w, Errno.EPERM, MMAP_REJECTED);"),
 ("memory-fault exit gpa not page-aligned", T,
  "long pageGpa = gpa & -PAGE;", "long pageGpa = gpa;"),
 ("vm-attributes host write goes to guest_memfd pages", T,
  "GmemFile after = separateHostView\n                ? g.withShared(g.shared().set(hw.offset(), end, fill))",
  "GmemFile after = false\n                ? g.withShared(g.shared().set(hw.offset(), end, fill))"),
 ("create accepts size >= 2^63", T,
  "if (size <= 0 || (size & PAGE_MASK) != 0)", "if (size == 0 || (size & PAGE_MASK) != 0)"),
 ("punch past the end refused", T,
  "if (end > g.size() && !edition.punchPastEndSucceeds())", "if (end > g.size())"),
 ("punched pages still held by earlier pins", M+'World.java',
  "return page >= p.firstPage() && page < p.endPage() && g.births().get(page) <= p.clock();", "return page >= p.firstPage() && page < p.endPage();"),
 ("EAGAIN check made after changing the unreferenced pages", T,
  "if (page >= 0) {\n                        return new Outcome(new Observation.Refused(Errno.EAGAIN, page * PAGE), w,",
  "if (page >= 0) {\n                        return new Outcome(new Observation.Refused(Errno.EAGAIN, page * PAGE), w.with(g.withStates(before.set(from, page, PRIVATE))),"),
 ("pread answers EINVAL", T,
  "case PREAD: case PWRITE: case LSEEK: return fail(w, Errno.ESPIPE", "case PREAD: case PWRITE: case LSEEK: return fail(w, Errno.EINVAL"),
 ("allocate past the end accepted", T,
  "if (end < 0 || end > g.size()) return fail(w, Errno.EINVAL, FALLOCATE_REJECTED);", "if (end < 0) return fail(w, Errno.EINVAL, FALLOCATE_REJECTED);"),
 ("hypercall attributes 0 for private", T,
  "r.target() == PageState.PRIVATE ? ATTRIBUTE_PRIVATE : 0", "0"),
 ("initial-state flip flag ignored", T,
  "edition.initialState(flags), userspaceBuffer);", "edition.initialState(), userspaceBuffer);"),
 ("unspecified content treated as preserved", T,
  "if (edition.contentRule() == dev.gmem.api.ContentRule.UNSPECIFIED) {", "if (false) {"),
 ("to shared checks references too", T,
  "        } else {\n            after = before.set(from, to, SHARED);",
  "        } else {\n            long ref = w.firstReferenced(g, from, to);\n            if (ref >= 0) return new Outcome(new Observation.Refused(Errno.EAGAIN, ref * PAGE), w, Events.of(CONVERT_REFUSED_REFERENCED));\n            after = before.set(from, to, SHARED);"),
 ("bind: overlapping ranges of one guest_memfd accepted", T,
  "if (s.gmem() == b.gmem() && overlaps(b.offset(), b.size(), s.offset(), s.size())) return overlapRefusal(w);", ""),
 ("bind: other VM's guest_memfd accepted", T,
  "if (g.vm() != 0) return fail(w, Errno.EINVAL, BIND_REJECTED);", ""),
 ("vm-attributes host view faults on private GPAs like in-place", T,
  "        if (!separateHostView) {\n            long p = g.states()", "        if (true) {\n            long p = g.states()"),
 ("INSIDE_FILE end check dropped", T,
  "\n                            || Long.compareUnsigned(size, g.size() - start) > 0);", ");"),
 ("vm-attributes guest reads guest_memfd for shared GPAs", T,
  "write, value, !isPrivate);", "write, value, false);"),
 ("pending rule: referenced pages become PRIVATE at once", T,
  "Math.min(hi, births.endOf(i)), PENDING);", "Math.min(hi, births.endOf(i)), PRIVATE);"),
 ("gmem-mmap: a private page's guest access treated as coherent", T,
  "if (state == SHARED && g.mappable()) return access", "if (g.mappable()) return access"),
 ("v13: memslots of a guest_memfd without MMAP serve shared accesses from userspace_addr (v8's rule)", T,
  "(privateMemory && !edition.gmemOnlySlots(flags));", "(privateMemory && (flags & Edition.FLAG_MMAP) == 0);"),
 ("v13: transient EAGAIN not allowed", T,
  "if (edition.transientRefusals() && after != before", "if (false && after != before"),
 ("v13: transient refusals unbounded", T,
  "&& w.transientRefusals < MAX_TRANSIENT_REFUSALS) {", ") {"),
 ("v13: transient EAGAIN allowed on a range already private", T,
  "if (edition.transientRefusals() && after != before", "if (edition.transientRefusals()"),
 ("v13: transient EAGAIN allowed outside the range", M+'TransientRangeRefusal.java',
  "&& Long.compareUnsigned(r.errorOffset() - start, size) < 0;", ";"),
 ("v13: transient EAGAIN allowed misaligned", M+'TransientRangeRefusal.java',
  "&& (r.errorOffset() & (GuestLayout.PAGE_SIZE - 1)) == 0", ""),
 ("v13: a transient refusal changes state", M+'TransientRangeRefusal.java',
  "        return refused;", "        return outcome.next(outcome.example());"),
 ("kernel facts: bind overlap always EINVAL", T,
  "if (!facts.allowsOverlapErrno(e)) continue;", "if (e != Errno.EINVAL) continue;"),
 ("kernel facts: huge bind offset always rejected", T,
  "if (!signedWindow || huge == KernelFacts.Answer.REJECTED)", "if (true)"),
 ("kernel facts: huge bind offset accepted even at 2^63", T,
  "boolean signedWindow = offset >= 0 && offset + size < 0;", "boolean signedWindow = offset + size < 0;"),
]
dirty = subprocess.run(["git", "status", "--porcelain", "--", M], capture_output=True, text=True).stdout.strip()
if dirty:
    sys.exit("commit or stash the model sources first: this tool restores them with git checkout")
only = sys.argv[1:] 
for i,(name,f,old,new) in enumerate(B):
    if only and str(i) not in only: continue
    src=open(f).read()
    n=src.count(old)
    if n!=1:
        print(f"[{i}] {name}: pattern found {n} times, SKIPPED", flush=True); continue
    open(f,'w').write(src.replace(old,new))
    for r in glob.glob('model-adapter/target/surefire-reports/*'): os.remove(r)
    p=subprocess.run("mvn -B -q -o -pl model-adapter -am verify", shell=True, capture_output=True, text=True)
    fails=set()
    for r in glob.glob('model-adapter/target/surefire-reports/*.txt'):
        for line in open(r):
            m=re.match(r'(\S+)\s+-- Time elapsed.*<<< (FAILURE|ERROR)', line)
            if m: fails.add(m.group(1).replace('dev.gmem.model.',''))
    compile_err = 'COMPILATION ERROR' in p.stdout
    subprocess.run(["git","checkout","--",f])
    print(f"[{i}] {name}: " + ("COMPILE ERROR" if compile_err else f"{len(fails)} failing: " + ", ".join(sorted(fails))), flush=True)
subprocess.run("git status --short", shell=True)
