# Turns a file (rules/persistence.yaml, the report's page templates) into a C++ source holding its
# bytes (a byte array, not a string literal: the catalog is longer than the string length -Wpedantic
# accepts) as regpersist::detail::SYMBOL and SYMBOLSize. Run at build time:
#   cmake -DINPUT=persistence.yaml -DOUTPUT=embedded_rules.cpp [-DSYMBOL=kEmbeddedRules] -P embed_rules.cmake
if(NOT DEFINED SYMBOL)
  set(SYMBOL kEmbeddedRules)
endif()
get_filename_component(input_name "${INPUT}" NAME)
file(READ "${INPUT}" hex HEX)
string(LENGTH "${hex}" hex_length)
math(EXPR byte_count "${hex_length} / 2")
string(REGEX REPLACE "([0-9a-f][0-9a-f])" "0x\\1," bytes "${hex}")
string(REGEX REPLACE "((0x[0-9a-f][0-9a-f],){32})" "\\1\n" bytes "${bytes}")
file(WRITE "${OUTPUT}.tmp"
     "// Generated from ${input_name} by src/catalog/embed_rules.cmake. Do not edit.\n"
     "#include <cstddef>\n\nnamespace regpersist::detail {\n\n"
     "extern const unsigned char ${SYMBOL}[];\nextern const std::size_t ${SYMBOL}Size;\n"
     "const unsigned char ${SYMBOL}[] = {\n${bytes}\n0x00};\n"
     "const std::size_t ${SYMBOL}Size = ${byte_count};\n\n}  // namespace regpersist::detail\n")
file(COPY_FILE "${OUTPUT}.tmp" "${OUTPUT}" ONLY_IF_DIFFERENT)
file(REMOVE "${OUTPUT}.tmp")
