package org.ldapmailcow.ldap;

import static org.assertj.core.api.Assertions.assertThat;

import javax.naming.ldap.Control;
import javax.naming.ldap.PagedResultsControl;
import javax.naming.ldap.SortControl;

import org.junit.jupiter.api.Test;

class PageSizeCapTest {

    @Test
    void aRefusedPageSizeIsHalvedForEveryLaterPageAndCookiesAndOtherControlsAreKept() throws Exception {
        PageSizeCap cap = new PageSizeCap();
        byte[] cookie = {1, 2, 3};
        Control sort = new SortControl("cn", Control.NONCRITICAL);
        Control[] first = {sort, new PagedResultsControl(1000, Control.CRITICAL)};
        assertThat(PageSizeCap.pageSize(cap.capped(first))).as("nothing refused yet").isEqualTo(1000);
        assertThat(PageSizeCap.firstPage(first)).isTrue();

        assertThat(cap.lower(1000)).isTrue();
        Control[] capped = cap.capped(first);
        assertThat(PageSizeCap.pageSize(capped)).isEqualTo(500);
        assertThat(capped[0]).isSameAs(sort);
        assertThat(capped[1].isCritical()).isTrue();

        Control[] later = cap.capped(new Control[] {new PagedResultsControl(1000, cookie, Control.CRITICAL)});
        assertThat(PageSizeCap.pageSize(later)).isEqualTo(500);
        assertThat(PageSizeCap.firstPage(later)).as("the cookie is kept").isFalse();
        assertThat(PageSizeCap.pageSize(cap.capped(new Control[] {new PagedResultsControl(200, Control.CRITICAL)})))
                .as("a smaller size is left alone").isEqualTo(200);

        assertThat(cap.lower(1)).as("nothing left to lower").isFalse();
        assertThat(PageSizeCap.pageSize(new Control[] {sort})).isEqualTo(-1);
    }
}
