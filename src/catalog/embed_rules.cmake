# Turns rules/persistence.yaml into a C++ source holding its bytes (a byte array, not a string literal:
# the catalog is longer than the string length -Wpedantic accepts). Run at build time:
#   cmake -DINPUT=persistence.yaml -DOUTPUT=embedded_rules.cpp -P embed_rules.cmake
file(READ "${INPUT}" hex HEX)
string(LENGTH "${hex}" hex_length)
math(EXPR byte_count "${hex_length} / 2")
string(REGEX REPLACE "([0-9a-f][0-9a-f])" "0x\\1," bytes "${hex}")
string(REGEX REPLACE "((0x[0-9a-f][0-9a-f],){32})" "\\1\n" bytes "${bytes}")
file(WRITE "${OUTPUT}.tmp"
     "// Generated from rules/persistence.yaml by src/catalog/embed_rules.cmake. Do not edit.\n"
     "#include <cstddef>\n\nnamespace regpersist::detail {\n\n"
     "extern const unsigned char kEmbeddedRules[];\nextern const std::size_t kEmbeddedRulesSize;\n"
     "const unsigned char kEmbeddedRules[] = {\n${bytes}\n0x00};\n"
     "const std::size_t kEmbeddedRulesSize = ${byte_count};\n\n}  // namespace regpersist::detail\n")
file(COPY_FILE "${OUTPUT}.tmp" "${OUTPUT}" ONLY_IF_DIFFERENT)
file(REMOVE "${OUTPUT}.tmp")
