/// The pipeline `visage analyze` uses when none is given: the text of
/// `pipelines/beauty-report.yaml`, built into the binary so it works from any folder
/// (a test checks the two are identical).
public enum DefaultPipeline {
    /// The file name shown in messages.
    public static let name = "beauty-report.yaml (built in)"

    /// The YAML text.
    public static let yaml = #"""
# beauty-report: everything Visage measures, for every face in every photo.
#
#   visage run pipelines/beauty-report.yaml photos/ --out reports/
#
# Each step has an `id` (its name in reports), a `use` (the step kind; `visage validate --kinds`
# lists them), optional `from` (ids of the steps whose outputs it reads; absent = the decoded
# image) and `with` (typed parameters, checked before the first image is read).
version: 1
name: beauty-report
description: Faces, landmarks with irises, photo quality, skin tone, person mask, colours and makeup.
input:
  formats: [jpeg, png]
  orientation: exif            # apply the EXIF orientation tag (phone photos come in sideways)
  max_pixels: 100000000        # larger images become error entries instead of exhausting memory
  min_side: 1200               # big JPEGs decode at 1/2, 1/4 or 1/8 size, both sides kept >= 1200 px
  min_iod: 128                 # ... unless a face then has < 128 px between the eyes: that photo is
                               # decoded again larger. The colour analyses work at ~128 px between
                               # the eyes anyway, so a 12 MP portrait costs half; reports give
                               # coordinates in decoded pixels (input.size, input.decode_scale).
steps:
  - id: faces                  # boxes, scores and 6 keypoints per face
    use: face.detect
    with: { model: blazeface-short-range, min_score: 0.5, max_faces: 10 }
  - id: face_mesh              # 468 landmarks per face (not in the report: `mesh` below has them all)
    use: face.landmarks
    from: [faces]
    with: { model: face-mesh, iris: false, min_presence: 0.5 }
  - id: mesh                   # + irises: refined eye contours and 10 iris points, 478 in all
    use: face.iris             # (eye colour needs them; `iris: true` on face.landmarks is the shorthand)
    from: [face_mesh]
    with: { model: iris }
  - id: segment                # person mask (selfie segmentation): hair colour needs it
    use: face.segment
    from: [mesh]
  # The beauty steps all read the meshes with the person mask attached: each face is then
  # analysed once and every step reports its part of that one analysis.
  - id: quality                # pose, size, blur, exposure, white balance, with reason codes
    use: beauty.quality
    from: [segment]
  - id: skin                   # Monk 1-10, ITA° and category, Fitzpatrick estimate, undertone
    use: beauty.skin_tone
    from: [segment]
  - id: colours                # lip, eye (iris), eyebrow and hair colour in Lab with a name
    use: beauty.colours
    from: [segment]
  - id: makeup                 # lipstick, eyeshadow, blush presence and style
    use: beauty.makeup
    from: [segment]
report:
  include: [faces, mesh, quality, skin, segment, colours, makeup]
  annotate: true               # annotated picture per image (x.jpg.annotated.jpg) + index.html
  landmarks: false             # set true to write all 468 landmarks per face into reports
  precision: 4                 # decimals of every number in reports
"""#
}
