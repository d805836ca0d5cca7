package dev.gmem.kernel;

import dev.gmem.api.Errno;
import dev.gmem.api.Observation;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class ErrnosTest {
    @Test
    void everyApiErrnoBecomesFailedWithItself() {
        for (Errno e : Errno.values()) {
            assertThat(Errnos.failed(e.number(), "call")).isEqualTo(new Observation.Failed(e));
        }
    }

    @Test
    void theAdaptersErrnoNumbersAreTheApisOnes() {
        assertThat(Errnos.EINVAL).isEqualTo(Errno.EINVAL.number());
        assertThat(Errnos.EFAULT).isEqualTo(Errno.EFAULT.number());
        assertThat(Errnos.EAGAIN).isEqualTo(Errno.EAGAIN.number());
        assertThat(Errnos.ENOTTY).isEqualTo(Errno.ENOTTY.number());
        assertThat(Errnos.ENODEV).isEqualTo(Errno.ENODEV.number());
        assertThat(Errnos.EBADF).isEqualTo(Errno.EBADF.number());
        assertThat(Errnos.EHWPOISON).isEqualTo(Errno.EHWPOISON.number());
        assertThat(Errnos.EOPNOTSUPP).isEqualTo(Errno.EOPNOTSUPP.number());
        assertThat(Errnos.ESPIPE).isEqualTo(Errno.ESPIPE.number());
        assertThat(Errnos.EPERM).isEqualTo(Errno.EPERM.number());
    }

    @Test
    void anErrnoOutsideTheApiIsReportedNotDisguised() {
        Observation o = Errnos.failed(7, "KVM_SET_USER_MEMORY_REGION2");
        assertThat(o).isInstanceOf(Observation.OtherExit.class);
        assertThat(((Observation.OtherExit) o).reason()).contains("KVM_SET_USER_MEMORY_REGION2").contains("errno 7");
    }

    @Test
    void theCLibrarySetsErrnoForDirectCalls() {
        assertThat(LibC.close(-1)).isEqualTo(-1);
        assertThat(LibC.errno()).isEqualTo(Errnos.EBADF);
        assertThat(LibC.lseek(-1, 0, LibC.SEEK_SET)).isEqualTo(-1);
        assertThat(LibC.errno()).isEqualTo(Errnos.EBADF);
    }
}
