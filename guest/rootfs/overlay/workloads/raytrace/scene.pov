// The Raytrace workload's scene: reflective and transparent spheres over a checkered
// plane, two lights with shadows. No #include, so it needs nothing beyond povray itself.
#version 3.7;
global_settings { assumed_gamma 1.0 max_trace_level 6 }
camera { location <0, 2.2, -6> look_at <0, 0.8, 0> angle 55 }
light_source { <-4, 8, -6> color rgb <1, 1, 1> }
light_source { <5, 6, -2> color rgb <0.5, 0.45, 0.4> }
background { color rgb <0.2, 0.3, 0.5> }
plane { y, 0
    pigment { checker color rgb <0.9, 0.9, 0.9> color rgb <0.15, 0.15, 0.2> scale 0.8 }
    finish { reflection 0.15 } }
sphere { <-1.6, 1, 0.5>, 1
    pigment { color rgb <0.8, 0.1, 0.1> } finish { phong 0.8 reflection 0.3 } }
sphere { <0.6, 0.7, -0.6>, 0.7
    pigment { color rgbf <0.9, 1, 0.9, 0.85> } finish { phong 0.9 reflection 0.1 }
    interior { ior 1.5 } }
sphere { <2, 1.2, 1.5>, 1.2
    pigment { color rgb <0.7, 0.7, 0.75> } finish { reflection 0.7 metallic } }
#declare I = 0;
#while (I < 12)
    sphere { <3.2 * cos(I * pi / 6), 0.2, 3.2 * sin(I * pi / 6) + 1>, 0.2
        pigment { color rgb <0.1 + I / 14, 0.5, 1 - I / 14> } finish { phong 0.5 } }
    #declare I = I + 1;
#end
