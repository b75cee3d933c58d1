{"_fx":525,"_fy":525,"_cx":319.5,"_cy":239.5,"_skew":0,"_height":480,"_width":640,"_K":0,"_frame":"camera"}
