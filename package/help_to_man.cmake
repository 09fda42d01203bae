# Writes a man page (roff) from a command's help text: run as
#   cmake -DCOMMAND=... -DHELP_OPTION=--help -DNAME=... -DSUMMARY=... -DVERSION=... -DOUTPUT=...
#     -P help_to_man.cmake
# The help is shown as it is printed (.nf), with roff's escape character and a line's leading
# '.' or '\'' made literal.
execute_process(COMMAND ${COMMAND} ${HELP_OPTION} OUTPUT_VARIABLE help RESULT_VARIABLE status)
if(NOT status EQUAL 0)
  message(FATAL_ERROR "${COMMAND} ${HELP_OPTION} exited with ${status}")
endif()
string(REPLACE "\\" "\\e" help "${help}")
string(REGEX REPLACE "(^|\n)([.'])" "\\1\\\\&\\2" help "${help}")
string(REPLACE "-" "\\-" name_escaped "${NAME}")
file(WRITE ${OUTPUT} ".TH ${NAME} 1 \"\" \"zaph ${VERSION}\" \"zaph\"
.SH NAME
${name_escaped} \\- ${SUMMARY}
.SH DESCRIPTION
.nf
${help}.fi
.SH SEE ALSO
The README.md and docs/ of zaph.
")
