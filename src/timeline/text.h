// Text helpers the timeline writers share: joining, UTF-8-safe truncation, and the escaping each
// output needs so that evidence text can neither break a format nor drive a terminal.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace regpersist {

std::string join(const std::vector<std::string>& items, std::string_view separator);

// At most `limit` bytes, cut at a character boundary, "..." appended when cut.
std::string truncate_utf8(std::string text, std::size_t limit);

// Valid UTF-8 with C0/C1 control characters, DEL and bidirectional overrides shown as \xNN or
// \u{NNNN}: nothing from the evidence reaches a terminal as an escape sequence.
std::string escape_for_terminal(std::string_view text);

// A field of a '|'-separated format (bodyfile, TLN): valid UTF-8, '%' and '|' written %25 and %7C
// (mactime splits every line on '|' and decodes %XX in every field), control characters written
// \xNN as Plaso's bodyfile parser expects (mactime drops an entry whose name holds a line break).
std::string escape_pipe_field(std::string_view text);

// Local wall-clock time of a UTC FILETIME shifted by `offset_minutes`, as "YYYY-MM-DDTHH:MM:SS".
std::string local_datetime(std::uint64_t filetime, int offset_minutes);

}  // namespace regpersist
