namespace Minsheng.Domain.Tests.Import;

/// <summary>
/// The notice's tables typed by hand from seeds/gongshu-2024-minsheng-notice.txt (not computed by the importer),
/// so the importer is checked against an independent reading.
/// </summary>
internal static class ExpectedGongshu2024
{
    /// <summary>The unit ids of the 19 cell columns of <see cref="Cells"/>: 区本级 then the streets in header order.</summary>
    public static readonly string[] Columns =
    [
        "district", "tianshui", "shangtang", "wulin", "xiangfu", "changqing", "banshan", "chaoming", "kangqiao",
        "zhaohui", "mishixiang", "wenhui", "hushu", "dongxin", "xiaohe", "shiqiao", "gongchenqiao", "hemu", "daguan",
    ];

    /// <summary>
    /// Attachment 2, one line per task metric: task, metric, unit, total stated in the title, then the 19 cells
    /// (“-” = “--”, no target). 5.2's cells “4805\n\n400人” are split over its two metrics.
    /// </summary>
    public const string Cells = """
        #task metric    unit total  区本级 天水 上塘 武林 祥符 长庆 半山 潮鸣 康桥 朝晖 米市巷 文晖 湖墅 东新 小河 石桥 拱宸桥 和睦 大关
        1.1  main       所   6      -      -    1    -    1    1    -    -    -    -    -      1    -    1    -    -    -      -    1
        1.2  main       所   6      1      -    1    -    2    -    -    -    -    -    -      1    -    1    -    -    -      -    -
        1.3  main       个   4      -      -    -    -    -    -    1    -    -    -    -      -    -    1    -    1    -      1    -
        2.1  main       个   6      -      -    -    -    -    1    1    -    -    -    1      1    1    -    -    -    -      -    1
        2.2  main       处   10     -      -    2    -    1    1    1    1    -    1    -      -    -    1    -    1    -      -    1
        3.1  main       场   200    -      8    14   8    14   8    14   8    14   12   10     10   10   14   12   12   12     10   10
        3.2  main       名   16000  16000  -    -    -    -    -    -    -    -    -    -      -    -    -    -    -    -      -    -
        4.1  main       个   9      -      1    1    -    2    -    -    -    1    -    1      -    -    -    -    1    1      1    -
        4.2  main       户   630    -      23   9    35   17   5    19   78   11   60   105    34   75   30   20   6    80     5    18
        5.1  main       家   4      -      -    -    -    -    -    -    1    -    -    -      -    -    2    -    -    1      -    -
        5.2  screening  人   20000  -      -    -    -    -    4805 -    6425 -    6035 -      -    -    -    -    -    -      -    2735
        5.2  guidance   人   1500   -      -    -    -    -    400  -    400  -    400  -      -    -    -    -    -    -      -    300
        6.1  main       人   35     -      2    2    2    2    2    2    2    2    2    2      2    2    2    2    2    2      1    2
        6.2  main       人   60     -      2    4    4    10   4    4    2    2    2    2      4    2    4    4    4    2      2    2
        6.3  main       个   3      -      1    -    -    -    -    -    -    -    -    1      -    1    -    -    -    -      -    -
        7.1  main       所   4      4      -    -    -    -    -    -    -    -    -    -      -    -    -    -    -    -      -    -
        7.2  main       所   1      1      -    -    -    -    -    -    -    -    -    -      -    -    -    -    -    -      -    -
        8.1  main       户   3426   -      -    1135 -    -    -    286  -    -    -    -      -    -    776  -    1229 -      -    -
        8.2  main       个   16     16     -    -    -    -    -    -    -    -    -    -      -    -    -    -    -    -      -    -
        9.1  main       台   200    -      12   2    10   9    18   2    20   -    18   18     10   10   10   12   3    12     16   18
        9.2  main       个   15     -      -    -    -    4    -    1    1    -    1    1      3    -    -    -    3    1      -    -
        10.1 main       个   48     -      2    5    8    -    14   -    -    -    3    1      3    -    5    -    -    6      -    1
        10.2 main       个   18     -      1    1    1    1    1    1    1    1    1    1      1    1    1    1    1    1      1    1
        """;

    /// <summary>Attachment 2, per task: its lead department (牵头单位) id and its title as written.</summary>
    public const string Tasks = """
        1.1  civil-affairs                新增6所“大运河老年学堂”
        1.2  education                    新增6所“大运河少儿学堂”（街道涉及5所）
        1.3  health                       打造4个“一老一小”普惠型融合服务点
        2.1  civil-affairs                完成6个“大运河幸福家园”服务阵地建设
        2.2  culture-tourism-sports       提升10处基层体育设施
        3.1  health                       举办200场养育照护技能课堂
        3.2  education                    为1.6万名义务教育段学生开展正脊筛查
        4.1  civil-affairs                新增9个“大运河社区食堂”
        4.2  civil-affairs                完成630户80周岁以上独居老人“安居守护”工程
        5.1  health                       建设或改造4家社区卫生服务中心（站点）
        5.2  health                       完成社区认知症早期筛查2万人，提供非药物干预指导1500人
        6.1  disabled-persons-federation  新增残疾人就业35人
        6.2  disabled-persons-federation  康复救助孤独症儿童60人
        6.3  disabled-persons-federation  创建3个省级无障碍社区
        7.1  education                    完工4所学校
        7.2  education                    提升改造1所学校
        8.1  housing-construction         完成3426户回迁安置
        8.2  housing-construction         竣工交付16个安置房
        9.1  housing-construction         完成200台老旧小区既有住宅加装电梯
        9.2  urban-management             完成15个老旧小区高层住宅二次供水设施改造
        10.1 housing-construction         完成48个老旧小区综合改造提升
        10.2 ecology-environment          建设18个“宁静小区”
        """;

    /// <summary>Attachment 1, per project: name, leader ids, lead department ids, responsible units (、-separated).</summary>
    public const string Projects = """
        1  “阳光相伴”老幼融合服务项目  fan-zheng,wang-yiping,jia-yuanyuan  civil-affairs,education,health  团区委、区科技局（区科协）、区人力社保局、区住建局、区卫健局（老龄办）、区文广旅体局、区消防救援大队、相关街道
        2  “大运河幸福家园”营造提升项目  fan-zheng,jia-yuanyuan  civil-affairs,culture-tourism-sports  区发改经信局、区住建局、区卫健局、区残联、区城建集团、相关街道
        3  “幼有善育”成长守护项目  wang-yiping,jia-yuanyuan  education,health  区文广旅体局、各街道
        4  “老有康养”社区照护项目  fan-zheng  civil-affairs  各街道
        5  “病有良医”健康服务项目  jia-yuanyuan  health  区财政局、区司法局、区城发集团、区城建集团、相关街道
        6  “弱有众扶”助残帮扶项目  fan-zheng  disabled-persons-federation  各街道
        7  “学有优教”校园建设项目  wang-yiping  education  区城发集团、东新街道
        8  “幸福颐居”回迁安置项目  xu-leiting  housing-construction  区城建集团、区城发集团、相关街道
        9  “贴心加改”电梯加装和二次供水项目  xu-leiting,wang-yiping  housing-construction,urban-management  相关街道
        10  “品质生活”小区改造治理项目  xu-leiting,wang-yiping  housing-construction,ecology-environment  区纪委(监委)、区社会治理中心、区信访局、区发改经信局、区教育局、区财政局、区公安分局、区民政局、区商务局、区住建局、区综合行政执法局、区文广旅体局、区市场监管局、区数据局、区三方办、规划资源拱墅分局、交警拱墅大队、交通运输执法拱墅大队、大运河数智未来城管委会、区属国有企业、各街道
        """;

    /// <summary>The lines of a table above, split into fields on whitespace, header lines (“#”) skipped.</summary>
    public static IEnumerable<string[]> Rows(string table) =>
        table.Split('\n')
            .Select(line => line.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries))
            .Where(fields => fields.Length > 0 && !fields[0].StartsWith('#'));
}
