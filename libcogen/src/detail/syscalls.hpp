// The system calls of the hot socket paths, made without glibc's wrappers.
//
// glibc's recv(), send() and accept4() are thread cancellation points: once a
// program has a second thread (a trace sink's writer, the crash guard's, the program's own),
// every call brackets the kernel entry with __pthread_enable/disable_asynccancel — about 60
// instructions per parked HTTP request, a sixth of cogen's own user time per request when
// traced. cogen never relies on pthread_cancel, so on x86-64 these calls are the `syscall`
// instruction inline (same kernel entry, same return value and errno, no cancellation
// bookkeeping, no call); elsewhere they are glibc's own functions (docs/design.md, "System
// calls"). The proactors' own calls (epoll_wait, poll, io_uring_enter: one per poll,
// not per operation) stay glibc's: tutorial 10 counts them by interposing on the C library.
#pragma once
#include <sys/socket.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <cerrno>
#include <cstddef>

namespace cogen::detail {

#if defined(__x86_64__) && defined(__linux__)
// The kernel's convention: number in rax, arguments in rdi rsi rdx r10 r8 r9; rcx and r11
// are clobbered; -4095..-1 is -errno.
[[gnu::always_inline]] inline long raw_syscall(long number, long a1, long a2, long a3, long a4 = 0,
                                               long a5 = 0, long a6 = 0) noexcept {
    long result;
    register long r10 __asm__("r10") = a4;
    register long r8 __asm__("r8") = a5;
    register long r9 __asm__("r9") = a6;
    __asm__ volatile("syscall"
                     : "=a"(result)
                     : "a"(number), "D"(a1), "S"(a2), "d"(a3), "r"(r10), "r"(r8), "r"(r9)
                     : "rcx", "r11", "memory");
    if (result < 0 && result > -4096) [[unlikely]] {
        errno = static_cast<int>(-result);
        return -1;
    }
    return result;
}

inline ssize_t sys_recv(int fd, void* buf, std::size_t len, int flags) noexcept {
    return raw_syscall(SYS_recvfrom, fd, reinterpret_cast<long>(buf), static_cast<long>(len),
                       flags);
}
inline ssize_t sys_send(int fd, const void* buf, std::size_t len, int flags) noexcept {
    return raw_syscall(SYS_sendto, fd, reinterpret_cast<long>(buf), static_cast<long>(len), flags);
}
inline int sys_accept4(int fd, sockaddr* addr, socklen_t* len, int flags) noexcept {
    return static_cast<int>(raw_syscall(SYS_accept4, fd, reinterpret_cast<long>(addr),
                                        reinterpret_cast<long>(len), flags));
}
#else
inline ssize_t sys_recv(int fd, void* buf, std::size_t len, int flags) noexcept {
    return ::recv(fd, buf, len, flags);
}
inline ssize_t sys_send(int fd, const void* buf, std::size_t len, int flags) noexcept {
    return ::send(fd, buf, len, flags);
}
inline int sys_accept4(int fd, sockaddr* addr, socklen_t* len, int flags) noexcept {
    return ::accept4(fd, addr, len, flags);
}
#endif

}  // namespace cogen::detail
