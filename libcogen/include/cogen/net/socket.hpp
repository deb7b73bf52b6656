// Socket: a non-blocking stream socket whose methods return operations
// (accept, connect, recv, send, ...) for a coroutine to co_await. cogen's
// sockets.Socket. Tutorial 06, docs/sockets.md.
#pragma once
#include <sys/socket.h>
#include <sys/types.h>

#include <cstddef>
#include <cstdio>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>

#include "cogen/net/address.hpp"
#include "cogen/net/read_buffer.hpp"
#include "cogen/priority.hpp"
#include "cogen/timeout.hpp"

namespace cogen {
class Proactor;
}

namespace cogen::net {

class Accept;
class Connect;
class Fill;
class Recv;
class RecvInto;
class Send;
class SendAll;
class ReadLine;
class Read;
class SendFile;

/// How shutdown() closes a direction (SHUT_RD, SHUT_WR, SHUT_RDWR).
enum class Shutdown { read = SHUT_RD, write = SHUT_WR, both = SHUT_RDWR };

/// A non-blocking TCP (IPv4/IPv6) or Unix stream socket. Move-only; the
/// destructor closes the descriptor.
///
///     auto listener = Socket::tcp();
///     listener.set_reuse_address();
///     listener.bind(Address::ip("127.0.0.1", 0));
///     listener.listen();
///     auto [conn, peer] = co_await listener.accept();
///     std::string data = co_await conn.recv(4096, 1s);
///     co_await conn.sendall(data);
///
/// The methods that wait return an operation (include "cogen/net/net.hpp"
/// to co_await them). Each takes an optional per-call Timeout that
/// overrides the socket's own (settimeout); with neither, the scheduler's
/// default_timeout applies. A trailing Priority is cogen's prio= (it
/// decides who runs first when the op completes in the proactor). Errors are thrown at the
/// co_await: ConnectionClosed (EOF, reset, broken pipe, hang-up), SocketError (any other errno,
/// code() carries it), OperationTimeout (the deadline).
///
/// The socket must stay alive, and not move, while one of its operations
/// is awaited. The bytes handed to send/sendall must stay alive until the
/// co_await completes. At most one operation may wait to read, and one to
/// write, at a time.
class Socket {
  public:
    /// An empty socket (fd() == -1).
    Socket() noexcept = default;
    /// Adopts an open stream socket (made non-blocking and close-on-exec).
    explicit Socket(int fd);
    Socket(Socket&& other) noexcept;
    Socket& operator=(Socket&& other) noexcept;
    Socket(const Socket&) = delete;
    Socket& operator=(const Socket&) = delete;
    ~Socket();

    /// A new IPv4 TCP socket. Throws SocketError (EMFILE...).
    static Socket tcp();
    /// A new IPv6 TCP socket.
    static Socket tcp6();
    /// A new Unix-domain stream socket.
    static Socket unix_stream();

    int fd() const noexcept { return m_fd; }
    bool is_open() const noexcept { return m_fd >= 0; }
    /// Gives up ownership of the descriptor (the socket becomes empty).
    int release() noexcept;
    /// Closes the descriptor now (idempotent); buffered input is dropped.
    void close() noexcept;

    void bind(const Address& address);
    /// Start listening; the runner-friendly default backlog is SOMAXCONN.
    void listen(int backlog = SOMAXCONN);
    /// getsockname(): the address bind() (or connect()) gave the socket.
    Address local_address() const;
    /// getpeername(): the connected peer.
    Address peer_address() const;
    /// shutdown(2): close one or both directions; the descriptor stays open.
    void shutdown(Shutdown how = Shutdown::both);

    /// setsockopt with an int value, e.g. setsockopt(SOL_SOCKET, SO_SNDBUF, 4096).
    void setsockopt(int level, int name, int value);
    /// getsockopt of an int value.
    int getsockopt(int level, int name) const;
    void set_reuse_address(bool on = true);
    void set_reuse_port(bool on = true);
    void set_nodelay(bool on = true);
    void set_send_buffer_size(int bytes);
    void set_receive_buffer_size(int bytes);

    /// The socket's timeout for its operations (cogen's settimeout):
    /// std::nullopt = none of its own. A listener's timeout applies to
    /// accept(); accepted sockets start without one (cogen's behaviour, Q19).
    void settimeout(std::optional<Timeout> timeout) noexcept { m_timeout = timeout; }
    std::optional<Timeout> gettimeout() const noexcept { return m_timeout; }

    /// Bytes received but not consumed yet (by readline/read, or left over).
    ReadBuffer& read_buffer() noexcept { return m_input; }
    const ReadBuffer& read_buffer() const noexcept { return m_input; }

    // Operations: co_await the result -------------------------------------
    // (recv, recv_into, send and sendall are defined inline in their op's header, so an
    // await builds its op in place: no call, no copy.)
    /// `auto [conn, peer] = co_await sock.accept();` a connection and its address.
    Accept accept(Timeout timeout = {}, Priority prio = Priority::DEFAULT);
    /// `co_await sock.connect(addr);` always tried at once; refused → SocketError.
    Connect connect(const Address& address, Timeout timeout = {},
                    Priority prio = Priority::DEFAULT);
    /// `std::string s = co_await sock.recv(4096);` 1..max_bytes bytes.
    inline Recv recv(std::size_t max_bytes, Timeout timeout = {},
                     Priority prio = Priority::DEFAULT);
    /// `std::size_t n = co_await sock.recv_into(buf);` 1..buf.size() bytes, no allocation.
    inline RecvInto recv_into(std::span<char> buffer, Timeout timeout = {},
                              Priority prio = Priority::DEFAULT);
    /// `co_await sock.fill();` one recv() appended to read_buffer() (for parsers).
    Fill fill(std::size_t max_bytes = 16384, Timeout timeout = {},
              Priority prio = Priority::DEFAULT);
    /// `std::size_t n = co_await sock.send(bytes);` one send(): may be partial.
    inline Send send(std::string_view bytes, Timeout timeout = {},
                     Priority prio = Priority::DEFAULT);
    /// `co_await sock.sendall(bytes);` every byte (yields bytes.size()).
    inline SendAll sendall(std::string_view bytes, Timeout timeout = {},
                           Priority prio = Priority::DEFAULT);
    /// `std::string line = co_await sock.readline(1024);` through '\n', at most max_len bytes.
    ReadLine readline(std::size_t max_len = std::string::npos, Timeout timeout = {},
                      Priority prio = Priority::DEFAULT);
    /// `std::string s = co_await sock.read(n);` exactly n bytes.
    Read read(std::size_t n, Timeout timeout = {}, Priority prio = Priority::DEFAULT);
    /// `std::string all = co_await sock.read();` everything until the peer closes.
    Read read(Timeout timeout = {}, Priority prio = Priority::DEFAULT);
    /// `std::size_t n = co_await sock.sendfile(fd, offset, length);` file bytes to the socket.
    SendFile sendfile(int file_fd, std::optional<off_t> offset = std::nullopt,
                      std::optional<std::size_t> length = std::nullopt, Timeout timeout = {},
                      Priority prio = Priority::DEFAULT);
    /// As sendfile(int...), for a stdio file (flushed first; no offset = its position).
    SendFile sendfile(std::FILE* file, std::optional<off_t> offset = std::nullopt,
                      std::optional<std::size_t> length = std::nullopt, Timeout timeout = {},
                      Priority prio = Priority::DEFAULT);

    /// Adopts the descriptor of an accepted connection as-is (already non-blocking).
    static Socket adopt_nonblocking(int fd) noexcept;

    /// For socket operations, before they park: `proactor` will watch fd().
    /// The socket calls proactor.track_fd(fd()) once, and forget_fd(fd())
    /// before it closes or releases the descriptor (or is watched by another
    /// proactor), so the backend may keep its registration between ops.
    void watched_by(Proactor& proactor) {
        if (!m_watcher || *m_watcher != &proactor) [[unlikely]]
            attach(proactor);
    }

    /// True when `proactor` watches fd() (it will hear forget_fd before the fd closes).
    bool watched_by_this(const Proactor& proactor) const noexcept {
        return m_watcher && *m_watcher == &proactor;
    }

  private:
    void attach(Proactor& proactor);
    void detach() noexcept;  // forget_fd on the watching proactor, if alive

    int m_fd = -1;
    std::shared_ptr<Proactor*> m_watcher;  // Proactor::link() of the one watching fd
    std::optional<Timeout> m_timeout;
    ReadBuffer m_input;
};

}  // namespace cogen::net
