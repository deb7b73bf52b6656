// The umbrella header of cogen::web: the HTTP/1.1 server, its requests,
// responses and parser. docs/http.md.
#pragma once
#include "cogen/web/body_read.hpp"
#include "cogen/web/http_error.hpp"
#include "cogen/web/http_parser.hpp"
#include "cogen/web/request.hpp"
#include "cogen/web/response.hpp"
#include "cogen/web/server.hpp"
