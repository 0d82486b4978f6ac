/* rs_record.h — video out for the viewer.
 *
 * Frames are raw RGB as OpenGL reads them (rows bottom-up). With ffmpeg on
 * PATH they are piped to it (popen) as rawvideo and it writes the file
 * (format from the file's extension, flipped upright, yuv420p so players
 * accept it); otherwise each frame becomes a PNG file, <stem>_000000.png,
 * <stem>_000001.png, ... next to the requested path (a GIF or video can be
 * made from them later, e.g. with ImageMagick's convert).
 *
 * Every buffer is allocated by rs_recorder_new: rs_recorder_frame never
 * allocates (raw write(2) on the pipe or the PNG file, no stdio).
 * Ownership: rs_recorder_new / rs_recorder_close. */
#ifndef RS_RECORD_H
#define RS_RECORD_H

typedef struct rs_recorder rs_recorder;

typedef enum { RS_REC_FFMPEG = 0, RS_REC_PNG = 1 } rs_rec_kind;

/* 1 if an executable named ffmpeg is on PATH */
int rs_ffmpeg_on_path(void);

/* Start a recording of w x h frames at fps into path. force_png: PNG
 * frames even when ffmpeg is there. NULL + error on failure. */
rs_recorder *rs_recorder_new(const char *path, int w, int h, int fps, int force_png);
/* Append one frame (w*h*3 bytes, bottom-up rows). 0, or -1 (error set; e.g.
 * ffmpeg exited) — the recording is then dead and further frames fail. */
int rs_recorder_frame(rs_recorder *r, const unsigned char *rgb);
/* Finish (waits for ffmpeg) and free; NULL-safe. 0, or -1 when ffmpeg
 * failed or a frame could not be written (error set). */
int rs_recorder_close(rs_recorder *r);

rs_rec_kind rs_recorder_kind(const rs_recorder *r);
long rs_recorder_frames(const rs_recorder *r);
/* "out.mp4 (ffmpeg)" or "out_%06d.png" — what is being written */
const char *rs_recorder_target(const rs_recorder *r);

#endif
