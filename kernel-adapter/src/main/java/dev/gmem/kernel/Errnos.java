package dev.gmem.kernel;

import dev.gmem.api.Errno;
import dev.gmem.api.Observation;

import java.util.Optional;

/** The one place where a kernel errno becomes an observation. */
final class Errnos {
    private Errnos() {
    }

    static final int EPERM = 1;
    static final int ENOENT = 2;
    static final int EINTR = 4;
    static final int EIO = 5;
    static final int EBADF = 9;
    static final int EAGAIN = 11;
    static final int ENOMEM = 12;
    static final int EACCES = 13;
    static final int EFAULT = 14;
    static final int EEXIST = 17;
    static final int ENODEV = 19;
    static final int EINVAL = 22;
    static final int ENOTTY = 25;
    static final int ESPIPE = 29;
    static final int ENOSYS = 38;
    static final int EOPNOTSUPP = 95;
    static final int EHWPOISON = 133;

    static Optional<Errno> errno(int number) {
        return Errno.ofNumber(number);
    }

    /**
     * A failed call as an observation: {@link Observation.Failed} for every errno the API knows; an
     * errno outside its set is still reported (never silently mapped to another), as an OtherExit
     * naming the number, so that no model can mistake it for an expected answer.
     */
    static Observation failed(int number, String call) {
        Optional<Errno> e = errno(number);
        if (e.isPresent()) return new Observation.Failed(e.get());
        return new Observation.OtherExit(call + " failed with errno " + number + ", outside the API's errno set");
    }

    static String name(int number) {
        return errno(number).map(Enum::name).orElse("errno " + number);
    }
}
