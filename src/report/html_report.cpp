// The HTML report: the page template, its style and script (src/report/report.{html,css,js},
// embedded at build time) filled with the report data as JSON. Evidence text reaches the page only
// inside that JSON, with <, > and & escaped, and the script renders it as text nodes. The
// Content-Security-Policy allows only the embedded style and script (by SHA-256) and no fetch at all.
#include <algorithm>
#include <string_view>

#include "regpersist/sha256.h"
#include "report/model.h"

namespace regpersist {

namespace detail {
extern const unsigned char kReportHtml[];
extern const std::size_t kReportHtmlSize;
extern const unsigned char kReportCss[];
extern const std::size_t kReportCssSize;
extern const unsigned char kReportJs[];
extern const std::size_t kReportJsSize;
}  // namespace detail

namespace {

std::string_view embedded(const unsigned char* bytes, std::size_t size) {
  return {reinterpret_cast<const char*>(bytes), size};
}

std::string base64(const std::vector<std::uint8_t>& bytes) {
  static constexpr std::string_view kAlphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string text;
  for (std::size_t i = 0; i < bytes.size(); i += 3) {
    const std::size_t count = std::min<std::size_t>(3, bytes.size() - i);
    std::uint32_t chunk = 0;
    for (std::size_t k = 0; k < 3; ++k) chunk = (chunk << 8) | (k < count ? bytes[i + k] : 0u);
    for (std::size_t k = 0; k < 4; ++k) text += k <= count ? kAlphabet[(chunk >> (18 - 6 * k)) & 63] : '=';
  }
  return text;
}

// "'sha256-…'" source expression of an inline element's exact text.
std::string csp_hash(std::string_view text) {
  const std::string hex = sha256_hex({reinterpret_cast<const std::uint8_t*>(text.data()), text.size()});
  std::vector<std::uint8_t> digest;
  for (std::size_t i = 0; i + 1 < hex.size(); i += 2)
    digest.push_back(static_cast<std::uint8_t>(std::stoul(hex.substr(i, 2), nullptr, 16)));
  return "'sha256-" + base64(digest) + "'";
}

std::string content_security_policy(std::string_view style, std::string_view script) {
  return "default-src 'none'; style-src " + csp_hash(style) + "; script-src " + csp_hash(script) +
         "; img-src data:; connect-src 'none'; font-src 'none'; form-action 'none'; base-uri 'none'";
}

// JSON safe inside <script type="application/json">: no "</script", "<!--" or entity can form.
std::string script_safe_json(const nlohmann::json& data) {
  const std::string text = data.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  std::string safe;
  safe.reserve(text.size());
  for (const char c : text) {
    if (c == '<')
      safe += "\\u003c";
    else if (c == '>')
      safe += "\\u003e";
    else if (c == '&')
      safe += "\\u0026";
    else
      safe += c;
  }
  return safe;
}

void replace_marker(std::string& page, std::string_view marker, std::string_view text) {
  const auto at = page.find(marker);
  if (at == std::string::npos) throw Error("report template", "marker " + std::string(marker) + " missing");
  page.replace(at, marker.size(), text);
}

}  // namespace

void write_html_report(std::ostream& out, const ReportInput& input) {
  const auto style = embedded(detail::kReportCss, detail::kReportCssSize);
  const auto script = embedded(detail::kReportJs, detail::kReportJsSize);
  std::string page(embedded(detail::kReportHtml, detail::kReportHtmlSize));
  replace_marker(page, "@CSP@", content_security_policy(style, script));
  replace_marker(page, "@STYLE@", style);
  replace_marker(page, "@SCRIPT@", script);
  replace_marker(page, "@DATA@", script_safe_json(report_data(input)));
  out << page;
}

}  // namespace regpersist
