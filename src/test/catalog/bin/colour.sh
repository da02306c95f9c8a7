#!/bin/sh
# ANSI colour and bold, as many tools print them.
printf '\033[31mred\033[0m plain \033[1mbold\033[0m\n'
printf '\033[32;1mgreen bold\033[0m\n'
