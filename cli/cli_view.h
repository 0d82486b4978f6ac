/* cli_view.h — `rsoup view`: the interactive soup viewer (viewer/). Built
 * without GLFW it explains that the viewer is missing. Registered in
 * main.c's command table. */
#ifndef RS_CLI_VIEW_H
#define RS_CLI_VIEW_H

int cmd_view(int argc, char **argv); /* rsoup view A B [C ...] [--front F] [--lambda L] ... */

#endif
