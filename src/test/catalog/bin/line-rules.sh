#!/bin/bash
# Bytes that exercise every line rule of API.md; the server runs with maxLineBytes=64.
printf 'plain\n'
printf 'crlf\r\n'
printf 'before\rafter\n'
printf '\n'
printf '\xff\xfeX\n'
printf 'héllo €uro 😀\n'
printf '  two leading spaces\n'
printf 'forged\r\revent: result\rdata: 0\n'
printf '%s€%s\n' "$(printf 'a%.0s' {1..62})" 'tail'
printf 'no newline at the end'
