"""Build zwgk/screening/lexicon/*.csv from word lists shipped in permissively licensed packages.

Usage (the packages unpacked by `npm pack NAME` / `pip download --no-deps NAME`, see the lexicon README):
    python scripts/build_lexicon.py --sources /tmp/lexsrc [--jieba /tmp/lexsrc/jieba-0.42.1/jieba/dict.txt]

Curation, so that ordinary government prose is not flagged (bench/screening_fp.py measures it):
- entries are normalised as the scanner matches them (width, traditional → simplified, case, punctuation
  and spaces dropped) and de-duplicated; single characters, digits-only and short Latin strings are dropped
  (the scanner has no word boundaries: "sm" would match inside "small");
- a category comes from the entry's own words (rules below, in order); an entry that matches none is
  dropped — that removes the person names, game titles and ordinary words of the unlabelled GFW-style list
  (a government site names its leaders; a name is not a sensitive word);
- ordinary words (jieba's dictionary frequency ≥ COMMON, or the KEEP_OUT list) are dropped, words that
  describe a crime in neutral terms (毒品, 赌博, 淫秽色情, 炸药…: the words of 扫黄打非 and 禁毒 notices)
  are 提示 at most;
- severity 禁止 for unambiguous spam/offence vocabulary of three or more characters, 提示 for the rest.
"""

import argparse
import csv
import json
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
OUT = ROOT / "zwgk" / "screening" / "lexicon"

COMMON = 50  # jieba frequency at or above which a dictionary word is an ordinary word

# (category, file, patterns): the first category whose pattern an entry contains is its category.
CATEGORIES = [
    (
        "涉毒",
        "drugs.csv",
        "冰毒|海洛因|海洛英|摇头丸|摇头|k粉|可卡因|可卡|古柯|大麻|鸦片|吗啡|麻古|白粉|罂粟|杜冷丁|氯胺酮|"
        "麻黄碱|麻黄素|迷幻|迷药|迷魂|三唑仑|春药|催情|ghb|曲马多|芬太尼|甲基苯丙胺|苯丙胺|安非他|"
        "神仙水|开心水|听话水|蒙汗药|迷情|冰妹|溜冰|吸毒|贩毒|毒品|制毒|大烟|k仔|lsd|五仔|丁丙诺啡|"
        "美沙酮|咖啡因片|麦角|裸盖菇|浴盐|笑气|卡西酮|γ羟基|羟基丁酸|依托咪酯|上头电子烟",
    ),
    (
        "赌博",
        "gambling.csv",
        "赌|博彩|六合彩|百家乐|老虎机|投注|时时彩|轮盘|娱乐城|牌九|菠菜|彩金|押注|下注|庄家|"
        "网投|骰宝|捕鱼游戏|线上娱乐|真人娱乐|体育投注|赛车pk10|pk10|北京赛车|幸运飞艇|澳门威尼斯|葡京|"
        "太阳城|金沙|永利|皇冠体育|bet365|彩票网|外围|赌球|外围盘|盘口|开奖|特码|码报|曾道人|白小姐",
    ),
    (
        "暴恐",
        "terror.csv",
        "炸药|炸弹|雷管|爆炸|恐怖|手榴弹|手雷|枪支|气枪|猎枪|手枪|步枪|冲锋枪|狙击|军刺|管制刀|弩|"
        "硝酸|硝化|黑索金|tnt|c4|燃烧弹|原子弹|氢弹|核弹|导弹|毒气|沙林|芥子|炭疽|蓖麻毒|氰化|"
        "自焚|人肉炸|人体炸|劫机|圣战|吉哈德|基地组织|伊斯兰国|isis|东突|东伊运|杀人|砍人|灭门|"
        "枪|子弹|弹药|火药|起爆|引爆|爆破|自制武器|简易武器|钢珠|仿真枪",
    ),
    (
        "诈骗/黑产",
        "fraud.csv",
        "发票|办证|刻章|假证|证件|文凭|学历|代考|替考|枪手|答案|窃听|监听|针孔|偷拍器|定位器|"
        "贷款|套现|提现|刷单|返利|刷信誉|刷钻|信用卡|身份证|银行卡|手机卡|黑卡|洗钱|钱庄|假币|"
        "传销|器官|卖肾|售肾|卖血|代孕|私家侦探|私人侦探|侦探|讨债|追债|黑客|木马|盗号|外挂|私服|"
        "作弊|改分|改成绩|代办|代开|代写|枪支|出售|求购|批发|低价|兼职|日结|高薪|加微|加v|vx|微信号|"
        "qq群|客服|返现|中奖|彩金|裸贷|校园贷|网贷|博客|网赚|挂机|跑分|代收|代付|洗码|二维码收款|"
        "车牌|套牌|解码器|干扰器|屏蔽器|伪基站|短信群发|群发器|开锁|迷奸|销赃|走私|水货|仿冒|高仿|"
        "a货|复刻|假货|香烟批发|电子烟|包过|保过|包拿证|快速拿证|弹窗|引流|推广|seo",
    ),
    (
        "色情",
        "porn.csv",
        "淫|奸|乳|穴|屄|屌|阴茎|阴道|阴唇|阴蒂|阴户|阴核|阴毛|精液|射精|裸|骚|妓|嫖|鸡巴|几把|鸡吧|"
        "三级|成人|av|做爱|性爱|性交|口交|肛交|女优|援交|艳|春宫|少妇|熟女|小姐|黄片|黄色|色情|色欲|"
        "色图|色站|情色|激情|爽|插入|抽插|肉棒|龟头|高潮|巨乳|美腿|丝袜|内裤|胸|奶子|屁眼|后庭|自慰|"
        "手淫|调教|乱伦|sm|约炮|一夜情|包夜|楼凤|外围女|小电影|毛片|无码|有码|porn|sex|xxx|fuck|"
        "逼|屄|b样|操你|日你|干你|性感|诱惑|偷拍|走光|露点|写真|寫真|開苞|开苞|处女|幼女|萝莉|"
        "伦理|午夜|情趣|性息|性服务|性奴|性虐|色诱|一丝不挂|脱光|全裸|吞精|颜射|内射|中出|潮吹|"
        "女郎|美女|妹妹|meimei|jiejie|美眉|嫩|骚货|婊|浪女|荡妇|奶|精子|性伴侣|淫荡",
    ),
    (
        "政治",
        "politics.csv",
        "法轮|falun|轮功|大法|李洪志|洪志|真善忍|flg|法lun|法仑|发轮|发纶|发沦|台独|藏独|疆独|港独|蒙独|"
        "东突|六四|64事件|八九|89事件|天安门事件|天安门母亲|民运|学运|反共|共匪|共产暴政|灭共|倒共|"
        "退党|三退|九评|大纪元|新唐人|明慧|希望之声|自由亚洲|美国之音|阿波罗网|博讯|看中国|禁闻|"
        "翻墙|自由门|无界|动态网|达赖|热比娅|世维会|藏青会|流亡政府|分裂国家|颠覆国家政权|台湾独立|"
        "西藏独立|新疆独立|香港独立|中华民国|青天白日|支那|共党|中共暴政|专制|独裁|暴政|一党专政|"
        "多党制|民主运动|民主党派联盟|平反六|坦克人|王丹|吾尔开希|柴玲|刘晓波|零八宪章|08宪章|"
        "魏京生|方励之|王炳章|陈光诚|艾未未|全能神|东方闪电|门徒会|呼喊派|观音法门|被立王|统一教|"
        "中华大陆行政|邪教|膏药旗|支那猪|台湾国|台湾共和国|中华民国总统|两国论|一边一国|一中一台|"
        "两个中国|港人治港|光复香港|时代革命|黄丝|黑警|占中|雨伞运动|港区国安法|五大诉求|"
        "温b|胡紧|胡惊|江贼|江猪|习包子|包子|袭近平|习禁评|刁近平|吸近平|细近平",
    ),
    (
        "低俗辱骂",
        "vulgar.csv",
        "他妈|他媽|你妈|你娘|操他|干你娘|王八蛋|杂种|狗日|贱人|贱种|傻逼|傻b|煞笔|傻屌|屌丝|"
        "去死|草泥马|尼玛|卧槽|我靠|妈的|妈逼|婊子|脑残|白痴|智障|混蛋|滚蛋|日批|吃翔|丑逼|菜逼|"
        "你爸死了|全家死了|死全家|nmsl|cnm|tmd|sb|shit|bitch|damn",
    ),
]

# Ordinary words and formal terms of government prose (扫黄打非, 禁毒, 反诈, 安全生产, 公安…): never entries.
KEEP_OUT = set(
    """
    公安 政府 领导 中央 人民 国家 党 共产党 中国共产党 中共 中共中央 人大 政协 国务院 主席 总理 总书记 书记
    政治 民主 自由 人权 宪法 宪政 选举 游行 示威 集会 上访 信访 维权 请愿 罢工 抗议 静坐 绝食 改革 开放
    毒品 吸毒 贩毒 禁毒 戒毒 制毒 毒品犯罪 赌博 赌场 禁赌 涉赌 聚众赌博 网络赌博 开设赌场 色情 淫秽 淫秽色情 淫秽物品
    卖淫 嫖娼 卖淫嫖娼 扫黄 黄赌毒 传销 洗钱 诈骗 电信诈骗 电信网络诈骗 走私 贷款 信用卡 银行卡 身份证 发票
    代开 代办 代写 代收 代付 出售 求购 批发 低价 兼职 高薪 日结 客服 中奖 推广 引流 二维码 微信号 答案
    作弊 侦探 定位器 证件 文凭 学历 器官 炸药 炸弹 雷管 爆炸 爆破 恐怖 恐怖主义 恐怖分子 恐怖活动 恐怖袭击
    枪支 弹药 火药 子弹 手枪 步枪 猎枪 导弹 原子弹 氢弹 核弹 毒气 氰化物 硝酸 硝酸铵 硝化甘油 起爆 引爆 民爆
    民用爆炸物品 管制刀具 杀人 故意杀人 邪教 反邪教 分裂国家 颠覆国家政权 台独 藏独 疆独 港独 东突
    成人 成人教育 成人高考 高潮 激情 美女 妹妹 少妇 处女 幼女 胸 乳 乳腺 乳房 乳制品 乳业 乳品 奶 牛奶 奶粉 奶牛
    艳 嫩 爽 插入 写真 诱惑 性感 黄色 午夜 伦理 情趣 裸 裸露 赤裸 骚扰 性骚扰 强奸 奸 奸淫 通奸
    大麻 工业大麻 罂粟 鸦片 吗啡 麻黄 麻黄碱 麻黄素 杜冷丁 芬太尼 曲马多 迷药 春药 笑气 电子烟 咖啡因
    台湾国 台湾总统 台湾政府 北朝鲜 南朝鲜
    性交 性交易 性服务 性爱 性欲 性器 性息 性感 性趣
    彩票 体育彩票 福利彩票 投注 投注站 开奖 下注 庄家 盘口 外围 博彩 彩金 押注 金沙 永利 葡京 太阳城
    枪手 窃听 监听 针孔 黑客 木马 外挂 私服 盗号 套现 提现 刷单 返利 返现 网贷 校园贷 裸贷 跑分 假币 假证
    车牌 套牌 开锁 屏蔽器 干扰器 伪基站 走私 水货 仿冒 高仿 假货 复刻 弹窗 seo 达赖 达赖集团 十四世达赖
    专制 独裁 暴政 包子 八九 六四 无界 大法 法轮功 弩 枪 弹 穴 穴位 针灸 穴位贴敷 精液 精子 阴道 阴茎
    中华民国 支那 黄丝 占中 翻墙 自焚 圣战 引爆 手雷 钢珠 仿真枪 射精 高潮 美腿 丝袜 内裤 露点 走光 偷拍
    """.split()
)

# Entries whose meaning is the offence itself even in two characters: 禁止 despite their length.
STRONG_SHORT = set(
    """
    冰毒 摇头丸 海洛因 嫖妓 裸聊 肛交 轮奸 迷奸 鸡巴 肉棒 约炮 赌球 网赌 百家乐 时时彩 老虎机 李洪志 真善忍
    falun 操逼 傻逼 草泥马
    """.split()
)

# Words that neutrally describe a crime or a regulated good, so they appear in 扫黄打非/禁毒/反诈/安全 notices:
# an entry containing one is 提示 (a reviewer looks), never 禁止, unless it also contains a spam marker.
NEUTRAL = re.compile(
    "毒品|吸毒|贩毒|禁毒|戒毒|赌博|赌场|色情|淫秽|卖淫|嫖娼|诈骗|传销|走私|洗钱|恐怖|爆炸|炸药|炸弹|雷管|"
    "枪支|弹药|邪教|分裂|颠覆|暴恐|涉恐|极端|偷拍|窃听|假币|假证|代孕|器官|贷款|信用卡|身份证|发票|作弊|"
    "打击|整治|防范|警惕|举报|查处|取缔|严禁|禁止|违法|犯罪|专项|宣传|教育"
)
# Spam markers: an entry with one of these is advertising the thing, not describing it.
SPAM = re.compile(
    "出售|销售|代开|代办|办理|包过|保过|加微|加v|vx|qq|免费|下载|在线|观看|网址|网站|论坛|电影|视频|图片|小说|"
    "直播|招聘|联系|电话|热线|价格|低价|批发|购买|求购|货到付款|包邮|现货|出租|上门|服务|一条龙|注册|开户|"
    "充值|送彩金|首存|返水|信誉|娱乐|平台|官网|教程|方法|配方|制作|制造|自制|diy|手册|大全"
)


# Written for zwgk (source "zwgk", under the project's licence): the offers of black-market SEO spam
# injected into government sites — a thing for sale with the words that sell it. Severity: 禁止 (an offer
# has no place in government prose), 提示 for what a 普惠金融 or 反诈 text may say as is.
SELL_BEFORE = [
    "出售",
    "低价出售",
    "批发",
    "求购",
    "代购",
    "哪里买",
    "哪里有卖",
    "网上购买",
    "货到付款",
    "专卖",
]
SELL_AFTER = ["出售", "批发", "货到付款", "专卖", "哪里买", "购买渠道"]
GOODS = {
    "涉毒": "冰毒 麻古 摇头丸 K粉 海洛因 可卡因 氯胺酮 迷药 迷幻药 听话水 春药 催情药 三唑仑 GHB 神仙水 蒙汗药 "
    "迷情药 迷魂药 上头电子烟 依托咪酯 大麻烟 大麻叶 开心水 失忆水",
    "暴恐": "仿真枪 气枪 猎枪 手枪 枪支 子弹 雷管 炸药 钢珠枪 弓弩 军用弩 管制刀具 电击器 麻醉枪 火药枪 枪模",
    "诈骗/黑产": "假币 假证 银行卡 对公账户 手机卡 实名手机卡 信用卡 窃听器 针孔摄像头 定位器 公民信息 个人信息 "
    "考试答案 四六级答案 驾照分 学历证书 毕业证 公章 支付宝账号 微信号 QQ号 黑卡 伪基站 短信群发器 "
    "信号屏蔽器 解码器 万能钥匙 开锁工具 假发票 增值税发票 走私车 套牌车 高仿手表 高仿包",
}
SERVICES = {
    "诈骗/黑产": [
        *(
            f"代开{x}"
            for x in "发票 增值税发票 普通发票 专用发票 建筑发票 运输发票 餐饮发票 住宿发票 医院发票 各类发票".split()
        ),
        *(f"{x}代开" for x in "发票 增值税发票 普通发票 专票 普票".split()),
        *(
            f"代办{x}"
            for x in "毕业证 学历证书 驾驶证 身份证 结婚证 房产证 资格证 职称证 会计证 健康证 假证 各类证件".split()
        ),
        *(f"办{x}" for x in "假证 假毕业证 假学历 假驾照 假身份证 假文凭".split()),
        "快速办证",
        "专业办证",
        "办证电话",
        "办证联系",
        "办证刻章",
        "刻章办证",
        "刻章电话",
        "私刻公章",
        "假公章",
        "刷单兼职",
        "兼职刷单",
        "刷单返佣",
        "刷单赚钱",
        "淘宝刷单",
        "刷好评兼职",
        "点赞兼职",
        "手机兼职日结",
        "日赚三百",
        "日赚五百",
        "日赚千元",
        "在家兼职日结",
        "网络兼职日结",
        "打字员兼职",
        "黑户贷款",
        "不看征信",
        "秒批贷款",
        "秒到账贷款",
        "网贷口子",
        "黑户口子",
        "下款口子",
        "征信花了也能贷",
        "信用卡代还",
        "信用卡套现",
        "花呗套现",
        "白条套现",
        "京东白条提现",
        "pos机套现",
        "代还信用卡",
        "身份证代办",
        "出售公民信息",
        "收购银行卡",
        "收银行卡",
        "收购对公账户",
        "收卡",
        "跑分平台",
        "跑分兼职",
        "洗钱平台",
        "地下钱庄汇款",
        "考试包过",
        "包过不过退款",
        "替考",
        "代考",
        "考试枪手",
        "改分数",
        "改成绩",
        "私家侦探调查",
        "婚外情调查",
        "调查婚外情",
        "手机定位找人",
        "查开房记录",
        "查通话记录",
        "查微信聊天记录",
        "代孕妈妈",
        "代孕机构",
        "供卵代孕",
        "卖肾",
        "收购肾源",
        "卖卵",
        "捐卵有偿",
    ],
    "赌博": [
        *(
            f"{a}{b}"
            for a in "网上 线上 在线 真人 手机 澳门 网络".split()
            for b in "赌场 百家乐 博彩 娱乐城 龙虎斗 炸金花 赌博平台 赌球".split()
        ),
        "澳门新葡京",
        "新葡京娱乐",
        "威尼斯人娱乐",
        "皇冠体育",
        "皇冠现金网",
        "体育投注网",
        "足球投注网",
        "首存送",
        "注册送彩金",
        "存送彩金",
        "首充送彩金",
        "赌博网站",
        "赌球网站",
        "时时彩平台",
        "北京赛车pk10",
        "幸运飞艇",
        "捕鱼游戏提现",
        "百家乐技巧",
        "百家乐平台",
        "六合彩开奖",
        "六合彩资料",
        "香港六合彩",
        "澳门六合彩",
        "博彩网站",
        "博彩公司",
        "真人荷官",
        "电子游艺",
        "老虎机游戏",
        "棋牌赢钱",
        "棋牌提现",
        "彩票平台代理",
        "外围赌球",
        "外围投注",
        "球赛下注",
        "网投平台",
        "菠菜网站",
        "菠菜平台",
        "特码资料",
        "一肖一码",
        "六合宝典",
        "曾道人",
        "白小姐",
        "马会资料",
        "开户送彩金",
        "返水",
        "亚洲博彩",
    ],
    "涉毒": [
        "溜冰",
        "冰妹",
        "吸冰毒",
        "制冰毒",
        "麻古果",
        "K粉出售",
        "飞叶子",
        "嗨药",
        "蓝精灵药",
        "聪明药出售",
    ],
    "色情": [
        "上门服务",
        "一条龙服务",
        "包夜服务",
        "学生妹上门",
        "同城交友约",
        "约炮",
        "裸聊",
        "裸聊软件",
        "视频裸聊",
        "小姐上门",
        "酒店上门",
        "按摩上门",
        "色情直播",
        "黄色直播",
        "福利直播",
        "成人直播",
        "av在线",
        "无码av",
        "欧美无码",
        "日韩无码",
        "国产自拍",
        "国产精品",
        "无码高清",
        "毛片免费",
        "免费毛片",
        "毛片网站",
        "黄色网站",
        "成人网站",
        "成人影院",
        "成人视频",
        "午夜福利",
        "福利视频",
        "黄色视频",
        "三级片",
        "av女优",
        "色情网站",
        "看片神器",
    ],
}
SOFT = set(
    "上门服务 一条龙服务 返水 溜冰 国产精品 收卡 代考 替考 白小姐 曾道人 澳门博彩 电子游艺 私刻公章 假公章 改成绩 "
    "代孕机构 出售公民信息 收购银行卡 收银行卡 收购对公账户 成人视频".split()
)
# "出售/求购 + a thing" is also the wording of the criminal law and of 断卡/反诈 notices (不出售银行卡,
# 出售假币罪, 非法出售枪支): 提示 only.
LAW_VERBS = ("出售", "求购")


def authored() -> list[tuple[str, str, str]]:
    """[(word, category, severity)] of the entries written for zwgk."""
    rows = []
    for category, goods in GOODS.items():
        for thing in goods.split():
            rows += [(f"{verb}{thing}", category, verb in LAW_VERBS) for verb in SELL_BEFORE]
            rows += [(f"{thing}{verb}", category, verb in LAW_VERBS) for verb in SELL_AFTER]
    for category, words in SERVICES.items():
        rows += [(w, category, False) for w in words]
    return [(w, c, "提示" if soft or w in SOFT else "禁止") for w, c, soft in rows]


# 政治 entries that are 禁止: the cult, separatist slogans and insults, never a neutral name of an event.
HOSTILE = re.compile(
    "法轮|轮功|falun|李洪志|洪志|大法弟子|大法好|真善忍|法lun|法仑|发轮|发纶|发沦|共匪|灭共|倒共|反共|"
    "九评|三退|退党|大纪元|新唐人|明慧|全能神|东方闪电|门徒会|呼喊派|观音法门|被立王|台湾国|台湾共和国|"
    "台湾独立|西藏独立|新疆独立|香港独立|光复香港|时代革命|支那|膏药旗|共产暴政|中共暴政|习包子|袭近平|"
    "习禁评|刁近平|吸近平|细近平|温b|胡紧|胡惊|江贼|江猪|操藏独|操"
)


# Words that give an entry its category but are ordinary on their own (客服人员, 黑客攻击, 美女, 成人教育):
# an entry is 禁止 only if it still matches its category once these are taken out.
WEAK = re.compile(
    "客服|黑客|木马|答案|出售|求购|批发|低价|兼职|日结|高薪|代办|代写|代收|代付|证件|文凭|学历|车牌|推广|"
    "引流|seo|弹窗|返现|中奖|二维码|qq群|微信号|加微|提现|侦探|定位器|作弊|美女|妹妹|少妇|激情|午夜|伦理|"
    "写真|性感|诱惑|嫩|奶|胸|艳|爽|高潮|丝袜|内裤|美腿|成人|小姐|处女|幼女|插入|情趣|女郎|子弹|弹药|火药|"
    "爆破|起爆|引爆|杀人|砍人|导弹|原子弹|氢弹|核弹|钢珠|恐怖|劫机|信用卡|身份证|银行卡|手机卡|贷款|黄色|"
    "三级|摇头|可卡|大麻|迷幻|开奖|盘口|外围|庄家|下注|押注|彩金|投注|金沙|永利|太阳城|白小姐|曾道人|"
    "性息|偷拍|走光|露点|无码|有码|伦理|肛门|后庭|精子|性伴侣|一夜情|包夜|sm|av"
)
# Common surnames: a two- or three-character entry that starts with one and matches nothing is a name.
SURNAMES = set(
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈"
    "姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤"
)


def latin_only(text: str) -> bool:
    return all(ch.isascii() for ch in text)


def read_sources(base: Path) -> list[tuple[str, str, str]]:
    """[(word, source, category hint)] from the unpacked packages (see the README for versions)."""
    entries = []

    def add(words, source, hint=""):
        for w in words:
            w = w.strip()
            if w and not w.startswith("#"):
                entries.append((w, source, hint))

    tc = base / "text-censor-1.0.2" / "package" / "keywords"
    add(tc.read_text(encoding="utf-8").splitlines(), "npm:text-censor@1.0.2")
    swf = base / "sensitive-word-filter-1.0.2" / "package" / "keywords"
    add(swf.read_text(encoding="utf-8").splitlines(), "npm:sensitive-word-filter@1.0.2")
    hints = {"ads": "诈骗/黑产", "porn": "色情", "politics": "政治", "violence": "暴恐"}
    for name, hint in hints.items():
        ts = (base / "sensitive-word-tool-1.1.10" / "package" / "src" / "words" / f"{name}.ts").read_text(
            "utf-8"
        )
        add(re.findall(r"'([^']+)'", ts), "npm:sensitive-word-tool@1.1.10", hint)
    bwc = base / "bad-words-chinese-1.0.2" / "package" / "libs" / "badWordsChinese.json"
    add(json.loads(bwc.read_text("utf-8"))["words"], "npm:bad-words-chinese@1.0.2")
    nd = next(base.glob("pypi/nonebot_plugin_paminet_nodirtymsg-0.3.10*/**/badwords.json"))
    add(json.loads(nd.read_text("utf-8"))["badwords"], "pypi:nonebot-plugin-paminet-nodirtymsg@0.3.10")
    return entries


def jieba_freq(path: Path | None) -> dict[str, int]:
    if path is None or not path.exists():
        return {}
    freq = {}
    for line in path.read_text("utf-8").splitlines():
        parts = line.split()
        if len(parts) >= 2:
            freq[parts[0].lower()] = int(parts[1])
    return freq


def build(base: Path, jieba_path: Path | None, demote: set[str]):
    from zwgk.text.scanner import normalise_term

    freq = jieba_freq(jieba_path)
    compiled = [(c, f, re.compile(p)) for c, f, p in CATEGORIES]
    keep_out = {normalise_term(w) for w in KEEP_OUT}
    strong = {normalise_term(w) for w in STRONG_SHORT}
    demote = {normalise_term(w) for w in demote}
    chosen: dict[str, tuple] = {}
    dropped: dict[str, int] = {}

    def drop(reason):
        dropped[reason] = dropped.get(reason, 0) + 1

    files = {c: f for c, f, _ in CATEGORIES}
    for word, category, severity in authored():
        key = normalise_term(word)
        if key not in chosen and key not in keep_out:
            severity = "提示" if key in demote else severity
            chosen[key] = (word, category, severity, "zwgk", files[category])
    for word, source, hint in read_sources(base):
        key = normalise_term(word)
        if key in chosen:
            continue
        if len(key) < 2 or len(word) > 60:
            drop("单字或过长")
            continue
        if key.isdigit() or (latin_only(key) and len(key) < 5 and key not in strong):
            drop("数字或短拉丁字母")
            continue
        if key in keep_out or (freq.get(key, 0) >= COMMON and key not in strong):
            drop("常用词")
            continue
        if key.startswith("毛") and len(key) > 2:  # the GFW list's 毛+word artefacts
            drop("列表噪声")
            continue
        category = file = None
        for c, f, pattern in compiled:
            if pattern.search(key):
                category, file = c, f
                break
        hinted = False
        if category is None and hint in ("色情", "诈骗/黑产", "暴恐"):  # the labelled lists (not 政治: names)
            category, file, hinted = hint, files[hint], True
        if category is None:
            drop("无类别（人名、游戏名、普通词）")
            continue
        if hinted and len(key) <= 3 and key[0] in SURNAMES:
            drop("人名")
            continue
        if key in strong:
            severity = "禁止"
        elif key in demote or len(key) < 3 or latin_only(key):
            severity = "提示"
        elif key.startswith("性") and len(key) <= 4:  # 制度性交易、精准性。服务: 性 ends many words
            severity = "提示"
        elif NEUTRAL.search(key) and not SPAM.search(key):
            severity = "提示"
        elif category == "低俗辱骂" or hinted:  # insults; labelled only by the list (专业代理, 免费使用…)
            severity = "提示"
        elif not dict((c, p) for c, _, p in compiled)[category].search(WEAK.sub("", key)):
            severity = "提示"
        elif category == "政治" and not HOSTILE.search(key):  # history and policy prose name events too
            severity = "提示"
        else:
            severity = "禁止"
        chosen[key] = (word, category, severity, source, file)
    return chosen, dropped


def stress_hits(keys: list[str], freq_path: Path, chars: int = 6_000_000, seed: int = 11) -> set[str]:
    """The keys found in a pseudo-text of frequent ordinary words (jieba's dictionary, names left out) put
    side by side at random, as the scanner sees text (punctuation removed): the words that arise across
    the boundary of two ordinary words (出口交货 → 口交, 支援交通 → 援交, 特色色彩 → 色色)."""
    import random

    import ahocorasick_rs

    words, weights = [], []
    for line in freq_path.read_text("utf-8").splitlines():
        parts = line.split()
        if len(parts) >= 3 and int(parts[1]) >= 200 and parts[2] not in ("nr", "nrt", "nrfg", "x", "eng"):
            words.append(parts[0].lower())
            weights.append(int(parts[1]))
    rng = random.Random(seed)
    matcher = ahocorasick_rs.AhoCorasick(keys)
    hits: set[str] = set()
    done = 0
    while done < chars:
        text = "".join(rng.choices(words, weights, k=5000))
        hits.update(matcher.find_matches_as_strings(text, overlapping=True))
        done += len(text)
    return hits


def main():
    from zwgk.text.scanner import normalise_term

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sources", type=Path, required=True)
    parser.add_argument("--jieba", type=Path)
    args = parser.parse_args()
    demote_file = OUT / "demoted.txt"
    demote = set()
    if demote_file.exists():
        demote = {ln.split("#")[0].strip() for ln in demote_file.read_text("utf-8").splitlines()} - {""}
    chosen, dropped = build(args.sources, args.jieba, demote)
    if args.jieba:
        for key in stress_hits(list(chosen), args.jieba, seed=11) | stress_hits(
            list(chosen), args.jieba, seed=23
        ):
            word, category, severity, source, file = chosen[key]
            if len(key) < 3 and normalise_term(word) not in STRONG_SHORT:
                del chosen[key]
                dropped["随机常用词拼接中出现"] = dropped.get("随机常用词拼接中出现", 0) + 1
            else:
                chosen[key] = (word, category, "提示", source, file)
    by_file: dict[str, list] = {}
    for word, category, severity, source, file in chosen.values():
        by_file.setdefault(file, []).append((word, category, severity, source))
    for file, rows in by_file.items():
        with (OUT / file).open("w", encoding="utf-8", newline="") as out:
            writer = csv.writer(out, lineterminator="\n")
            writer.writerow(["word", "category", "severity", "source"])
            writer.writerows(sorted(rows, key=lambda r: (r[2], r[0])))
    for file, rows in sorted(by_file.items()):
        blocking = sum(1 for r in rows if r[2] == "禁止")
        print(f"{file}: {len(rows)} entries, {blocking} 禁止")
    print("total", len(chosen), "dropped", dropped)


if __name__ == "__main__":
    main()
