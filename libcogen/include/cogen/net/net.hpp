// The umbrella header of cogen::net: addresses, sockets and every socket
// operation. Tutorial 06, docs/sockets.md.
#pragma once
#include "cogen/net/accept.hpp"
#include "cogen/net/address.hpp"
#include "cogen/net/connect.hpp"
#include "cogen/net/fill.hpp"
#include "cogen/net/read.hpp"
#include "cogen/net/read_buffer.hpp"
#include "cogen/net/read_line.hpp"
#include "cogen/net/recv.hpp"
#include "cogen/net/recv_into.hpp"
#include "cogen/net/send.hpp"
#include "cogen/net/send_all.hpp"
#include "cogen/net/send_file.hpp"
#include "cogen/net/socket.hpp"
#include "cogen/net/socket_operation.hpp"
