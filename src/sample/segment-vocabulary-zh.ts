/**
 * The planted segments of the sample shop in Chinese (`graphprof sample
 * --language zh`): the same segments as segment-vocabulary.ts (same ids,
 * rating habits and structure of preferred categories), each writing in its
 * own Chinese vocabulary of real words — 宝宝, 性价比 for the parents, 声场,
 * 解析力 for the audiophiles, 越野跑, 配速 for the athletes, and so on.
 * Sentences end with Chinese punctuation and are joined without spaces.
 */
import { SEGMENT_PROFILES, type GenericSentences, type SegmentProfile } from './segment-vocabulary.js';

type Voice = Omit<SegmentProfile, 'id' | 'ratingWeights'>;

const VOICES: Record<string, Voice> = {
  'budget-parents': {
    name: '精打细算的宝爸宝妈',
    categories: ['母婴用品', '家居厨房'],
    topicalPositive: [
      '作为预算有限的家长，能用{price}买到这款{item}真的很开心。',
      '我家{kid}{kidLoves}，价格比大牌便宜多了。',
      '{mess}之后一擦就干净，家里有小孩这点太重要了。',
      '对忙碌的家庭来说性价比很高，我还会给{relative}再买一个。',
      '开学季打折时入手的，经历了{abuse}依然完好。',
      '我在三家店比过价，这是最便宜又让人放心给孩子用的。',
      '这款{item}经历了{abuse}一点划痕都没有，钱花得值。',
      '自从用了它，宝宝洗澡和睡前都安静了不少。',
      '这个价位对成长中的家庭来说完全够用，孩子们天天都在用。',
      '趁促销囤了好几个，因为我家{kid}用得特别快。',
    ],
    topicalNegative: [
      '{abuse}一个月就坏了，根本不划算。',
      '对家庭来说不值这个价，我家{kid}一周就玩腻了。',
      '廉价塑料，{kid}第一次摔就裂了。',
      '绑带很难调，抱着乱动的{kid}根本调不了。',
    ],
    persona: [
      '家里有{kidsCount}个孩子，东西必须经得起折腾，这款{item}基本做到了。',
      '一边接送孩子上学、洗衣服，一边精打细算地买下了它。',
      '当爸妈的先看性价比，这个价格挺合理。',
      '周末忙着生日派对和足球课，用优惠券顺手买的。',
    ],
    slots: {
      price: ['大牌一半的价格', '不到一百块', '超值的价格', '比预期更低的价格'],
      kid: ['宝宝', '三岁的女儿', '儿子', '女儿', '小朋友', '学龄前的孩子'],
      kidLoves: ['爱不释手', '天天抱着不放', '每天都吵着要玩', '玩得特别开心'],
      mess: ['打翻果汁', '宝宝吃饭弄得一团糟', '踩了泥的鞋子', '蜡笔涂鸦'],
      relative: ['二胎宝宝', '姐姐家的孩子', '爷爷奶奶家', '幼儿园'],
      abuse: ['从楼梯上摔下去', '每天从餐椅上掉下来', '两个调皮的熊孩子', '在车里放了一年'],
      kidsCount: ['两', '三', '四'],
    },
  },
  audiophiles: {
    name: '音响发烧友',
    categories: ['耳机音响', '数码配件'],
    topicalPositive: [
      '声场宽阔，定位精准，听{genre}录音也毫不含糊。',
      '接上我的{source}，{band}的响应非常平直。',
      '解析力出色，我听到了以前忽略的{detail}。',
      '煲机五十个小时后，{band}明显收紧了。',
      '搭配一台像样的解码器，播放{format}文件非常动听。',
      '音色中性，中频略带温暖，正是我喜欢的{genre}味道。',
      '左右声道一致性达标，高增益下也听不到底噪。',
      '这个价位里，{genre}曲目的乐器分离度是我听过最好的。',
      '从旧的{source}换到这个，{genre}听起来通透又开阔。',
    ],
    topicalNegative: [
      '高频齿音明显，听{genre}很容易疲劳。',
      '低频渗进中频，整个声场都糊了。',
      '音量一推上去，失真比标称的高。',
      '声音压缩感强、干巴巴的，不适合认真听{format}音乐的人。',
      '接我的{source}有轻微电流声，换线也解决不了。',
    ],
    persona: [
      '晚上习惯用黑胶听{genre}，所以我对做工特别挑剔。',
      '省下了又一次升级耳机的钱，买了这款{item}。',
      '我的试听室很安静，能听到{item}有轻微的啸叫。',
      '我是那种买东西之前先看频响曲线的人。',
    ],
    slots: {
      genre: ['爵士', '古典', '原声', '交响乐', '录音精良的摇滚', '室内乐'],
      source: ['胆机', '台式解码器', '平衡耳放', '参考级系统'],
      band: ['低频', '中频', '超低频', '高频'],
      detail: ['大提琴手的呼吸声', '房间混响', '指板摩擦声', '镲片细微的余韵'],
      format: ['无损', '24位', '高解析度', 'FLAC'],
    },
  },
  'outdoor-athletes': {
    name: '户外运动爱好者',
    categories: ['运动健身', '露营徒步'],
    topicalPositive: [
      '带着这款{item}完成了一次{distance}{activity}，表现无可挑剔。',
      '上次{activity}遇到{weather}，它依然扛住了。',
      '足够轻便，在{terrain}上几乎感觉不到它。',
      '抓地力好又透气，{schedule}训练的时候特别重要。',
      '经历了{weather}、{terrain}和大量汗水，它都没问题。',
      '不再跟装备较劲之后，我的{metric}提升了。',
      '收纳后体积很小，{distance}{activity}时轻松塞进越野背包。',
      '我用它练了三百多公里的{activity}，依然很结实。',
    ],
    topicalNegative: [
      '{activity}训练几周后接缝就开始开线了。',
      '太重了，不适合正经的{activity}，随便走走还行。',
      '遇到{weather}不到一个小时就湿透了。',
      '{distance}{activity}跑到一半，在{terrain}上把脚磨出了水泡。',
    ],
    persona: [
      '在两个训练周期之间为下一次{activity}买了这款{item}。',
      '作为越野跑者，我在乎耐用远胜过外观。',
      '我大部分周末都在{terrain}上，所以我的东西都要经得起考验。',
      '刚结束一次{distance}{activity}，我需要靠谱的装备。',
    ],
    slots: {
      activity: ['越野跑', '超级马拉松', '登山徒步', '百公里骑行', '铁人三项', '野外穿越'],
      distance: ['十五公里的', '半程马拉松距离的', '二十公里的', '连续多天的'],
      weather: ['倾盆大雨', '刺骨寒风', '酷暑高温', '泥泞的春季暴雨'],
      terrain: ['碎石山路', '陡峭爬坡', '松散砾石', '高山山脊'],
      schedule: ['每周六天', '一天两练', '马拉松备赛期间'],
      metric: ['配速', '每公里用时', '恢复时间', '爬升速度'],
    },
  },
  'beauty-enthusiasts': {
    name: '美妆爱好者',
    categories: ['美妆个护', '家居厨房'],
    topicalPositive: [
      '我的{skin}皮肤很快就吸收了，叠加{makeup}也很服帖。',
      '质地{texture}，吸收后不会留下油腻感。',
      '加进我的{routine}护肤步骤后，气色看起来{glow}。',
      '味道是{scent}，一点也不刺鼻。',
      '推开很均匀，色号和我的肤色完美匹配。',
      '成分温和，每天用了{weeks}周都没有爆痘。',
      '太爱了，这款{item}已经在我的梳妆台上占了固定位置。',
      '用量很省，{concern}明显改善了。',
    ],
    topicalNegative: [
      '叠加{makeup}会搓泥，还起了干皮。',
      '香精让我的{skin}皮肤一天之内就过敏了。',
      '太黏了，对{concern}一点作用都没有。',
      '到中午就氧化发橙，直接退货了。',
    ],
    persona: [
      '每个月的护肤囤货时顺便犒劳自己买了这款{item}。',
      '作为护肤狂热者，我很在意包装设计，这款摆在梳妆台上很好看。',
      '拍了一条快速化妆的视频，这款{item}也出镜了。',
      '忙碌一天后的护肤时光对我来说很神圣，它正好合适。',
    ],
    slots: {
      skin: ['敏感', '油性', '混合性', '干性', '痘痘'],
      makeup: ['粉底', '素颜霜', '防晒霜', '遮瑕'],
      texture: ['丝滑', '轻薄水润', '像慕斯一样绵密', '如丝绒般细腻'],
      routine: ['晚间', '早间', '十步', '每周的'],
      glow: ['水光透亮', '容光焕发', '饱满有光泽', '更加明亮'],
      scent: ['淡淡的香草', '清新的花香', '清爽的柑橘', '几乎闻不到'],
      weeks: ['两', '三', '四', '六'],
      concern: ['色斑', '细纹', '泛红', '毛躁'],
    },
  },
  'tech-early-adopters': {
    name: '科技尝鲜派',
    categories: ['智能家居', '数码配件'],
    topicalPositive: [
      '首发当天就预订了这款{item}，设置只用了{setup}。',
      '它立刻就连上了我的{ecosystem}网关，固件更新还增加了{feature}。',
      '配套应用很流畅，{feature}比上一代好用多了。',
      '它和我现有的自动化无缝集成，已经有{count}个场景在用它。',
      '通过{protocol}连接的延迟明显比去年的型号低。',
      '尝鲜总有风险，但这款确实兑现了参数表上的承诺。',
      '测试版固件解锁了{feature}，竞品目前都还没有。',
    ],
    topicalNegative: [
      '首发固件问题很多，每隔几天就从{protocol}网络掉线。',
      '应用里还是没有{feature}，参数表上明明承诺过。',
      '感觉像测试版产品，对第一代设备我期望更高。',
      '恢复出厂设置两次之后才肯接入我的{ecosystem}系统。',
    ],
    persona: [
      '作为尝鲜派，我总是第一时间买最新款，包括这款{item}。',
      '真希望这款{item}有配套应用或者{feature}，家里其他设备都有。',
      '我用表格记录自己所有的数码产品，这款得分还不错。',
      '下单之前我照例看完了所有拆解和首发评测。',
    ],
    slots: {
      ecosystem: ['Matter', 'Zigbee', 'Home Assistant', '米家'],
      setup: ['不到两分钟', '不到五分钟', '扫一下二维码'],
      feature: ['本地控制', '语音助手', '电量统计', '远程升级', 'USB-C快充'],
      protocol: ['Wi-Fi 6', '蓝牙5.3', 'Thread', 'Zigbee'],
      count: ['三', '五', '十几'],
    },
  },
  'home-cooks': {
    name: '家庭厨师',
    categories: ['食品美食', '家居厨房'],
    topicalPositive: [
      '昨晚用这款{item}做了{dish}，味道{flavor}。',
      '它已经成了我厨房里的常备品，和{staple}放在一起。',
      '最后加一点，{dish}的味道就完美了。',
      '打开时香气{flavor}，像是从精品店买来的。',
      '我用它做的{dish}，家里人都要了第二碗。',
      '我几乎每晚都自己下厨，有了它工作日的{dish}也变得特别。',
    ],
    topicalNegative: [
      '味道寡淡，做{dish}加不加都一样。',
      '到货时已经受潮了，还没下锅香味就散了。',
      '太咸了，不适合{dish}这种清淡的菜。',
    ],
    persona: [
      '周末准备批量做饭时囤货，顺手买了这款{item}。',
      '我每晚都从零开始做饭，对厨房里的每样东西都很挑剔。',
      '我有一本食谱笔记，这次购买也记了一笔。',
    ],
    slots: {
      dish: ['烤时蔬', '手工面条', '慢炖牛腩', '周日烤鸡', '凉拌沙拉'],
      flavor: ['浓郁带着胡椒香', '鲜亮的果香', '醇厚带烟熏味', '香气扑鼻'],
      staple: ['好的橄榄油', '海盐', '新鲜大蒜', '调料架'],
    },
  },
  'pet-owners': {
    name: '资深铲屎官',
    categories: ['宠物用品', '园艺户外'],
    topicalPositive: [
      '我家{pet}第一天就{petLoves}这款{item}。',
      '我家{pet}很挑食，这个一下子就征服了它。',
      '我家{pet}一小时就能拆家，这个居然扛住了。',
      '很好清理，{pet}的毛也不会粘在上面。',
      '兽医也认可，我家{pet}现在遛的时候安静多了。',
      '家里有只关节不好的老{pet}，用了这个它早上舒服多了。',
    ],
    topicalNegative: [
      '我家{pet}一个下午就把它咬坏了。',
      '我家{pet}拿零食引诱都不肯靠近。',
      '我家{pet}吃了拉肚子，一周后就停了。',
    ],
    persona: [
      '家里的一切都是围着{pet}挑的，这款{item}也不例外。',
      '早上遛完弯在{pet}的监督下下单的。',
      '作为养了三只动物的救助志愿者，我消耗用品特别快。',
    ],
    slots: {
      pet: ['狗狗', '猫咪', '金毛', '流浪狗', '橘猫', '比格犬'],
      petLoves: ['爱上了', '离不开', '迷上了', '特别喜欢'],
    },
  },
  gamers: {
    name: '竞技玩家',
    categories: ['电子游戏', '数码配件'],
    topicalPositive: [
      '输入延迟几乎为零，这在{game}排位赛里至关重要。',
      '连续打了六个小时{game}，手一点都不酸。',
      '{part}在{game}比赛中手感清脆、反应灵敏。',
      '换了这款{item}之后，我在{game}里的枪法进步了。',
      'RGB软件很干净，配置文件能在我的{platform}之间同步。',
      '续航撑过了整个周末的{game}马拉松。',
    ],
    topicalNegative: [
      '打了两个月{game}，{part}就开始连击了。',
      '无线连接延迟明显，让我在{game}里输了好几局。',
      '驱动软件臃肿，一开{game}就崩溃。',
    ],
    persona: [
      '在两个排位赛季之间终于有空逛街，买了这款{item}。',
      '我每晚都直播{game}，桌面必须在镜头里好看。',
      '我整套{platform}配置都是为竞技调校的，所以很挑剔。',
    ],
    slots: {
      game: ['射击游戏', '吃鸡', 'MOBA', '格斗游戏', '赛车模拟'],
      part: ['微动', '扳机键', '按键', '摇杆'],
      platform: ['电脑', '主机', '直播电脑', '游戏本'],
    },
  },
};

/** The English profiles' segments, in the same order, with their Chinese voices. */
export const SEGMENT_PROFILES_ZH: readonly SegmentProfile[] = SEGMENT_PROFILES.map((p) => {
  const voice = VOICES[p.id];
  if (!voice) throw new RangeError(`segment-vocabulary-zh: no Chinese voice for segment "${p.id}"`);
  return { ...voice, id: p.id, ratingWeights: p.ratingWeights };
});

export const GENERIC_SENTENCES_ZH: GenericSentences = {
  positive: [
    '准时到货，包装完好。',
    '发货很快。',
    '和描述的一样。',
    '推荐购买。',
    '给五星。',
    '东西很实用。',
    '这个价格质量不错。',
    '开箱就能用，很方便。',
    '目前没发现问题。',
    '盒子上写着“安装简单”，这次居然是真的。',
    '在{brand}买的{item}提前一天就到了。',
    '这是我第二次买{brand}的东西，依然满意。',
    '总体来说对这款{item}很满意。',
  ],
  neutral: [
    '还行吧，没什么特别的。',
    '能用。',
    '说明书可以写得更清楚一点。',
    '比预期晚了几天到。',
    '{item}用着没问题，就是包装太浪费了。',
    '暂时说不好，用几周再来追评。',
    '颜色和图片有点色差。',
  ],
  negative: [
    '已经退货了。',
    '到货时就坏了，盒子都压扁了。',
    '客服一直不回消息。',
    '和图片不符。',
    '用了两周就坏了。',
    '对{brand}期望更高。',
    '这款{item}做工比价格显得廉价。',
  ],
};
