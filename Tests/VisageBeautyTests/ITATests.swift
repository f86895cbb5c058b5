import Testing
import VisageBeauty

@Suite struct ITATests {
    // Monk swatch values from SCIENCE.md §2.3: (L*, b*) → ITA° and category.
    @Test(arguments: [
        (94.21, 5.43, 83.0, ITA.Category.veryLight),
        (77.90, 23.14, 50.3, .light),
        (55.14, 26.74, 10.9, .tan),
        (42.47, 20.53, -20.1, .brown),
        (30.68, 13.34, -55.4, .dark),
    ])
    func monkSwatchesGiveTheirPublishedAngle(l: Double, b: Double, degrees: Double, category: ITA.Category) throws {
        let angle = try #require(ITA.angle(lightness: l, b: b))
        #expect(abs(angle - degrees) < 0.1)
        #expect(ITA.category(angle) == category)
    }

    @Test func boundariesBelongToTheDarkerClass() {
        #expect(ITA.category(55) == .light)
        #expect(ITA.category(10) == .brown)
        #expect(ITA.category(-30) == .dark)
        #expect(ITA.angle(lightness: 60, b: 0) == nil)
    }
}
