// Run by HeadlessChromium once the page has loaded; its value is what PageCheck reports about the page's boxes and images.
(async () => {
    for (const details of document.querySelectorAll('details')) {
        details.open = true;
    }
    const images = [...document.querySelectorAll('img')];
    for (const image of images) {
        image.loading = 'eager';
    }
    const settled = image => image.complete ? null : new Promise(done => {
        image.addEventListener('load', done);
        image.addEventListener('error', done);
    });
    await Promise.race([Promise.all(images.map(settled)), new Promise(done => setTimeout(done, 5000))]);
    const name = element => {
        const id = element.id ? '#' + element.id : '';
        const classes = (element.getAttribute('class') || '').trim().split(/\s+/).filter(c => c).map(c => '.' + c).join('');
        const source = element.getAttribute('src') || element.getAttribute('data') || '';
        return element.localName + id + classes + (source ? ' (' + (source.length > 60 ? source.slice(0, 60) + '…' : source) + ')' : '');
    };
    const boxes = [...document.querySelectorAll('svg, img, canvas, object')];
    const counts = {};
    for (const element of boxes) {
        counts[element.localName] = (counts[element.localName] || 0) + 1;
    }
    const empty = boxes.filter(element => {
        const box = element.getBoundingClientRect();
        return !(box.width > 0 && box.height > 0);
    });
    return {
        counts: counts,
        empty: empty.map(name),
        undecoded: images.filter(image => !image.complete || image.naturalWidth === 0).map(name)
    };
})()
