package dev.gmem.api;

import java.util.Arrays;
import java.util.Optional;

/** The errno values a guest_memfd conversion target answers with, with their x86_64 Linux numbers. */
public enum Errno {
    EPERM(1), ENOENT(2), EIO(5), EBADF(9), EAGAIN(11), ENOMEM(12), EFAULT(14), EBUSY(16),
    EEXIST(17), ENODEV(19), EINVAL(22), ENOTTY(25), EFBIG(27), ENOSPC(28), ESPIPE(29), ENOSYS(38),
    EOPNOTSUPP(95), EHWPOISON(133);

    private final int number;

    Errno(int number) {
        this.number = number;
    }

    public int number() {
        return number;
    }

    public static Optional<Errno> ofNumber(int number) {
        return Arrays.stream(values()).filter(e -> e.number == number).findFirst();
    }
}
