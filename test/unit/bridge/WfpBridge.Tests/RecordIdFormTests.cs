using System;
using System.Collections.Generic;
using Xunit;

namespace WfpBlockAgent.Bridge.Tests
{
    public class RecordIdFormTests
    {
        private static BridgeOptions WithRecordId(object id) => BridgeOptions.From(new Dictionary<string, object>
        {
            ["eventIds"] = new object[] { 5157 },
            ["start"] = new Dictionary<string, object> { ["mode"] = "after", ["recordId"] = id },
        });

        public static IEnumerable<object[]> Forms() => new[]
        {
            new object[] { 2147483647, 2147483647L },
            new object[] { 2147483648u, 2147483648L },              // 2^31: uint on .NET Framework
            new object[] { 4294967295u, 4294967295L },              // 2^32 - 1
            new object[] { 4294967296L, 4294967296L },              // 2^32
            new object[] { 4294967296d, 4294967296L },
            new object[] { 9007199254740992d, 9007199254740992L },  // 2^53
            new object[] { "9007199254740993", 9007199254740993L }, // beyond a double's exact range
            new object[] { 9223372036854775807UL, long.MaxValue },
            new object[] { 12m, 12L },
        };

        [Theory]
        [MemberData(nameof(Forms))]
        public void AcceptsEveryIntegerFormEdgeJsProduces(object value, long expected)
        {
            Assert.Equal(expected, WithRecordId(value).Start.RecordId);
        }

        [Theory]
        [InlineData(1.5)]
        [InlineData("12abc")]
        [InlineData(1e19)]
        public void RefusesWhatIsNotAnInteger(object value)
        {
            var error = Assert.Throws<ArgumentException>(() => WithRecordId(value));
            Assert.StartsWith("start.recordId: expected an integer", error.Message);
        }
    }
}
