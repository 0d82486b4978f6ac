/* cli_view.h — `rsoup view`: the interactive soup viewer (viewer/). Built
 * without GLFW it explains that the viewer is missing. Registered in
 * main.c's command table; its --bench printout is view_print.c's. */
#ifndef RS_CLI_VIEW_H
#define RS_CLI_VIEW_H

int cmd_view(int argc, char **argv); /* rsoup view A B [C ...] [--front F] [--lambda L] ... */

/* view_print.c: the viewer's warnings on stderr ("rsoup view: warning:
 * ..."), and --bench's figures of v (its live policy's env and arch) as
 * text or one JSON object on stdout */
struct rs_viewer;
struct rs_viewer_bench;
void rs_cli_view_warnings(const struct rs_viewer *v);
void rs_cli_view_bench_print(const struct rs_viewer *v, const struct rs_viewer_bench *b, int json);

#endif
