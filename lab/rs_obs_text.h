/* rs_obs_text.h — observations as text (rsoup act's input): bounded lines of
 * comma-separated numbers, apart from the command so that a fuzz target can
 * reach them (rs_obs_text.c). */
#ifndef RS_OBS_TEXT_H
#define RS_OBS_TEXT_H

#include <stddef.h>
#include <stdio.h>

/* one line of f into buf without its '\n': 1, 0 at the end, -1 when the line
 * has cap characters or more or holds a NUL byte */
int rs_obs_read_row(FILE *f, char *buf, size_t cap);
/* "v1,v2,..." (commas and/or blanks) into dim floats: 1, 0 for a blank or
 * '#' line, -1 when it is not dim finite float numbers */
int rs_obs_parse(const char *line, int dim, float *out);

#endif
